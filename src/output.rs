//! The output contract other tools read: `extracted/<id>.csv` and `.json`.
//!
//! CSV columns are exactly [`COMMON_COLUMNS`] followed by the source's extra
//! columns; JSON is an array of objects with the same fields in the same
//! order, `line` a number and `licences` an array.

use anyhow::Result;
use leimu_model::{
    licences, Diagnostic, ExtractedRecord, Extraction, FilingEntry, FilingExtraction,
};
use leimu_normalize::Normalized;
use serde::ser::{Serialize, SerializeMap, Serializer};

/// The columns every extraction starts with.
pub const COMMON_COLUMNS: [&str; 10] = [
    "source",
    "line",
    "subject",
    "level1",
    "level2",
    "level3",
    "requirement",
    "licences",
    "scope",
    "notes",
];

/// RFC 4180 CSV with a header row, records in source order.
pub fn extraction_csv(extraction: &Extraction) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COMMON_COLUMNS.iter().chain(&extraction.extra_columns))?;
    for record in &extraction.records {
        let licences = licences(&record.requirement).join(";");
        let line = record.provenance.line.to_string();
        let common = [
            record.provenance.source.as_str(),
            &line,
            record.subject.map_or("", |s| s.as_str()),
            &record.path.level1,
            &record.path.level2,
            &record.path.level3,
            &record.requirement,
            &licences,
            &record.scope,
            &record.notes,
        ];
        writer.write_record(
            common
                .into_iter()
                .chain(record.extras.iter().map(String::as_str)),
        )?;
    }
    Ok(writer.into_inner().map_err(|e| e.into_error())?)
}

/// A pretty-printed JSON array, one object per record, trailing newline.
pub fn extraction_json(extraction: &Extraction) -> Result<Vec<u8>> {
    let views: Vec<RecordView> = extraction
        .records
        .iter()
        .map(|record| RecordView {
            record,
            extra_columns: &extraction.extra_columns,
        })
        .collect();
    json(&views)
}

/// `normalized/diagnostics.csv`: every diagnostic of every source.
pub fn diagnostics_csv<'a>(
    diagnostics: impl IntoIterator<Item = (&'a str, &'a Diagnostic)>,
) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["source", "file", "line", "kind", "message"])?;
    for (source, d) in diagnostics {
        writer.write_record([
            source,
            &d.file,
            &d.line.to_string(),
            d.kind.as_str(),
            &d.message,
        ])?;
    }
    Ok(writer.into_inner().map_err(|e| e.into_error())?)
}

/// The filing guide's entries as CSV: columns [`leimu_guide::COLUMNS`].
pub fn filing_csv(extraction: &FilingExtraction) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(leimu_guide::COLUMNS)?;
    for e in &extraction.entries {
        writer.write_record([
            e.provenance.source.as_str(),
            &e.provenance.line.to_string(),
            &e.level1,
            &e.level2,
            &e.description,
            &e.personal,
            &e.unit,
            &e.remark,
            e.personal_advice.map_or("", |a| a.as_str()),
            e.unit_advice.map_or("", |a| a.as_str()),
        ])?;
    }
    Ok(writer.into_inner().map_err(|e| e.into_error())?)
}

/// The filing guide's entries as JSON: the CSV fields, then `items`.
pub fn filing_json(extraction: &FilingExtraction) -> Result<Vec<u8>> {
    let views: Vec<FilingView> = extraction.entries.iter().map(FilingView).collect();
    json(&views)
}

struct FilingView<'a>(&'a FilingEntry);

/// A description item, fields in the documented order.
#[derive(serde::Serialize)]
struct ItemView<'a> {
    name: &'a str,
    text: &'a str,
    personal_allowed: bool,
}

impl Serialize for FilingView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let e = self.0;
        let mut map = serializer.serialize_map(Some(leimu_guide::COLUMNS.len() + 1))?;
        map.serialize_entry("source", &e.provenance.source)?;
        map.serialize_entry("line", &e.provenance.line)?;
        map.serialize_entry("level1", &e.level1)?;
        map.serialize_entry("level2", &e.level2)?;
        map.serialize_entry("description", &e.description)?;
        map.serialize_entry("personal", &e.personal)?;
        map.serialize_entry("unit", &e.unit)?;
        map.serialize_entry("remark", &e.remark)?;
        map.serialize_entry(
            "personal_advice",
            e.personal_advice.map_or("", |a| a.as_str()),
        )?;
        map.serialize_entry("unit_advice", e.unit_advice.map_or("", |a| a.as_str()))?;
        let items: Vec<ItemView> = e
            .items
            .iter()
            .map(|i| ItemView {
                name: &i.name,
                text: &i.text,
                personal_allowed: i.personal_allowed,
            })
            .collect();
        map.serialize_entry("items", &items)?;
        map.end()
    }
}

/// `categories.csv`: one row per canonical category.
pub fn categories_csv(n: &Normalized) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CATEGORY_COLUMNS)?;
    for c in &n.categories {
        let requirement = c.requirement_text();
        writer.write_record([
            c.key.subject.as_str(),
            &c.key.level1,
            &c.key.level2,
            &c.key.level3,
            &requirement,
            &licences(&requirement).join(";"),
            &c.scope,
            &c.notes,
            &c.sources.join(";"),
            c.decided_by.as_deref().unwrap_or(""),
            &c.conflicts.to_string(),
        ])?;
    }
    Ok(writer.into_inner().map_err(|e| e.into_error())?)
}

/// Columns of `categories.csv`.
pub const CATEGORY_COLUMNS: [&str; 11] = [
    "subject",
    "level1",
    "level2",
    "level3",
    "requirement",
    "licences",
    "scope",
    "notes",
    "sources",
    "decided_by",
    "conflicts",
];

/// `categories.json`: the CSV fields, the requirement as a tree and every
/// contributing record.
pub fn categories_json(n: &Normalized) -> Result<Vec<u8>> {
    let rows: Vec<serde_json::Value> = n
        .categories
        .iter()
        .map(|c| {
            let requirement = c.requirement_text();
            serde_json::json!({
                "subject": c.key.subject.as_str(),
                "level1": c.key.level1,
                "level2": c.key.level2,
                "level3": c.key.level3,
                "requirement": requirement,
                "licences": licences(&requirement),
                "scope": c.scope,
                "notes": c.notes,
                "sources": c.sources,
                "decided_by": c.decided_by,
                "conflicts": c.conflicts,
                "requirement_tree": c.requirement,
                "contributors": c.contributors,
            })
        })
        .collect();
    json(&rows)
}

/// `licences.csv`: the licence registry.
pub fn licences_csv(n: &Normalized) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["licence", "aliases", "categories", "sources"])?;
    for l in &n.licences {
        writer.write_record([
            l.licence.as_str(),
            &l.aliases.join(";"),
            &l.categories.to_string(),
            &l.sources.join(";"),
        ])?;
    }
    Ok(writer.into_inner().map_err(|e| e.into_error())?)
}

/// Pretty JSON with a trailing newline.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(value)?;
    out.push(b'\n');
    Ok(out)
}

struct RecordView<'a> {
    record: &'a ExtractedRecord,
    extra_columns: &'a [&'static str],
}

impl Serialize for RecordView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let r = self.record;
        let mut map =
            serializer.serialize_map(Some(COMMON_COLUMNS.len() + self.extra_columns.len()))?;
        map.serialize_entry("source", &r.provenance.source)?;
        map.serialize_entry("line", &r.provenance.line)?;
        map.serialize_entry("subject", r.subject.map_or("", |s| s.as_str()))?;
        map.serialize_entry("level1", &r.path.level1)?;
        map.serialize_entry("level2", &r.path.level2)?;
        map.serialize_entry("level3", &r.path.level3)?;
        map.serialize_entry("requirement", &r.requirement)?;
        map.serialize_entry("licences", &licences(&r.requirement))?;
        map.serialize_entry("scope", &r.scope)?;
        map.serialize_entry("notes", &r.notes)?;
        for (name, value) in self.extra_columns.iter().zip(&r.extras) {
            map.serialize_entry(name, value)?;
        }
        if let Some(tree) = &r.requirement_tree {
            map.serialize_entry("requirement_tree", tree)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use leimu_model::{CategoryPath, Provenance, Subject};

    fn sample() -> Extraction {
        Extraction {
            extra_columns: vec!["choose"],
            records: vec![ExtractedRecord {
                provenance: Provenance {
                    source: "s".into(),
                    line: 7,
                },
                subject: Some(Subject::Enterprise),
                path: CategoryPath {
                    level1: "社交".into(),
                    level2: "直播".into(),
                    level3: String::new(),
                },
                requirement: "《A》或《B》, \"quoted\"\n《A》".into(),
                scope: String::new(),
                notes: String::new(),
                extras: vec!["3".into()],
                requirement_tree: None,
            }],
            diagnostics: vec![],
        }
    }

    #[test]
    fn csv_has_the_contract_columns_and_quotes_per_rfc4180() {
        let csv = String::from_utf8(extraction_csv(&sample()).unwrap()).unwrap();
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some(
                "source,line,subject,level1,level2,level3,requirement,licences,scope,notes,choose"
            )
        );
        assert!(
            csv.contains(
                "s,7,enterprise,社交,直播,,\"《A》或《B》, \"\"quoted\"\"\n《A》\",A;B,,,3\n"
            ),
            "{csv}"
        );
    }

    #[test]
    fn json_keeps_column_order_and_lists_licences() {
        let json = String::from_utf8(extraction_json(&sample()).unwrap()).unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value[0]["licences"], serde_json::json!(["A", "B"]));
        assert_eq!(value[0]["line"], 7);
        let keys: Vec<usize> = [
            "\"source\"",
            "\"line\"",
            "\"licences\"",
            "\"notes\"",
            "\"choose\"",
        ]
        .iter()
        .map(|k| json.find(k).unwrap())
        .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{json}");
    }

    #[test]
    fn filing_json_items_keep_their_field_order() {
        use leimu_model::{Advice, DescriptionItem};
        let entry = FilingEntry {
            provenance: Provenance {
                source: "g".into(),
                line: 3,
            },
            last_line: 5,
            level1: "生活服务".into(),
            level2: "宠物".into(),
            description: "1、兽医:适用于宠物医院".into(),
            items: vec![DescriptionItem {
                name: "兽医".into(),
                text: "适用于宠物医院".into(),
                personal_allowed: false,
            }],
            personal: "可选".into(),
            unit: "不建议选择".into(),
            personal_advice: Some(Advice::Optional),
            unit_advice: Some(Advice::NotRecommended),
            remark: String::new(),
        };
        let extraction = FilingExtraction {
            entries: vec![entry],
            diagnostics: vec![],
        };
        let json = String::from_utf8(filing_json(&extraction).unwrap()).unwrap();
        let positions: Vec<usize> = [
            "\"unit_advice\"",
            "\"items\"",
            "\"name\"",
            "\"text\"",
            "\"personal_allowed\"",
        ]
        .iter()
        .map(|k| json.find(k).unwrap())
        .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{json}");
        let csv = String::from_utf8(filing_csv(&extraction).unwrap()).unwrap();
        assert_eq!(
            csv,
            "source,line,level1,level2,description,personal,unit,remark,personal_advice,unit_advice\n\
             g,3,生活服务,宠物,1、兽医:适用于宠物医院,可选,不建议选择,,optional,not-recommended\n"
        );
    }
}
