//! `leimu export`: `normalized/` as an Excel workbook, and as CSV files with
//! a byte-order mark, for people who open the data in a spreadsheet.
//!
//! The workbook has one sheet per table (categories, licences, the
//! category–licence links, conflicts one row per side, filing services,
//! history), headers in Chinese and English, a frozen header row, an
//! autofilter, column widths from the content and wrapped long text. It is
//! deterministic: fixed document properties, and the zip writer's fixed
//! timestamps. Nothing here changes a value; cells are the CSV's text,
//! except whole-number columns, written as numbers.

use std::path::Path;

use anyhow::{Context, Result};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet};

use crate::dataset::{Dataset, Table};

/// Columns written as numbers.
const NUMBER_COLUMNS: [&str; 3] = ["line", "conflicts", "categories"];
/// Columns wider than this many display cells wrap.
const MAX_WIDTH: usize = 50;

/// The Chinese label of a column, where there is one.
fn chinese(column: &str) -> Option<&'static str> {
    Some(match column {
        "id" => "编号",
        "category_id" => "类目编号",
        "subject" => "主体",
        "level1" => "一级类目",
        "level2" => "二级类目",
        "level3" => "三级类目",
        "status" => "状态",
        "beta" => "内测",
        "requirement" => "资质要求",
        "licences" => "资质",
        "other_documents" => "其他材料",
        "needs_documents" => "需要材料",
        "decided_line" => "决定行",
        "pick" => "选",
        "of" => "共",
        "note" => "说明",
        "licence" => "资质名称",
        "aliases" => "别名",
        "categories" => "类目数",
        "kind" => "类型",
        "kinds" => "冲突类型",
        "role" => "要求方式",
        "group" => "选择",
        "condition" => "条件",
        "scope" => "适用范围",
        "notes" => "备注",
        "remark" => "备注",
        "sources" => "来源",
        "source" => "来源",
        "line" => "行",
        "as_of" => "日期",
        "decided_by" => "决定来源",
        "decided_as_of" => "决定日期",
        "authority" => "权威性",
        "conflicts" => "冲突数",
        "succeeded_by" => "后继类目",
        "decides" => "决定",
        "differs" => "差异",
        "resolution" => "处理",
        "description" => "说明",
        "personal" => "个人备案",
        "unit" => "单位备案",
        "personal_advice" => "个人备案建议",
        "unit_advice" => "单位备案建议",
        "change" => "变更",
        "licences_added" => "新增资质",
        "licences_removed" => "删除资质",
        _ => return None,
    })
}

/// `一级类目 level1`; the English name alone where there is no label.
pub fn header_label(column: &str) -> String {
    match chinese(column) {
        Some(zh) => format!("{zh} {column}"),
        None => column.to_string(),
    }
}

/// The sheets of the workbook: name and table, in order.
pub fn sheets(dataset: &Dataset) -> Vec<(&'static str, Table)> {
    vec![
        (
            "类目 categories",
            csv_table(dataset, "categories.csv").unwrap_or_default(),
        ),
        ("资质 licences", dataset.licences.clone()),
        ("类目资质 links", links_table(dataset)),
        ("冲突 conflicts", conflicts_table(dataset)),
        ("备案 filing services", dataset.filing.clone()),
        ("变更 history", history_table(dataset)),
    ]
}

fn csv_table(dataset: &Dataset, path: &str) -> Option<Table> {
    crate::dataset::read_table(path, dataset.csv_files.get(path)?).ok()
}

fn links_table(dataset: &Dataset) -> Table {
    let header = [
        "category_id",
        "subject",
        "level1",
        "level2",
        "level3",
        "licence",
        "kind",
        "role",
        "group",
        "condition",
    ];
    let rows = dataset
        .links
        .iter()
        .map(|l| {
            let c = dataset.category(&l.category_id);
            let level = |f: fn(&crate::dataset::Category) -> &String| {
                c.map(|c| f(c).clone()).unwrap_or_default()
            };
            vec![
                l.category_id.clone(),
                level(|c| &c.subject),
                level(|c| &c.level1),
                level(|c| &c.level2),
                level(|c| &c.level3),
                l.licence.clone(),
                l.kind.clone(),
                l.role.as_str().to_string(),
                l.group.clone(),
                l.condition.clone(),
            ]
        })
        .collect();
    Table {
        header: header.map(String::from).to_vec(),
        rows,
    }
}

fn conflicts_table(dataset: &Dataset) -> Table {
    let header = [
        "subject",
        "level1",
        "level2",
        "level3",
        "kinds",
        "source",
        "line",
        "requirement",
        "decides",
        "differs",
        "resolution",
    ];
    let rows = dataset
        .conflicts
        .iter()
        .flat_map(|c| {
            c.sides.iter().map(move |s| {
                vec![
                    c.category.subject.clone(),
                    c.category.level1.clone(),
                    c.category.level2.clone(),
                    c.category.level3.clone(),
                    c.kinds.join(";"),
                    s.source.clone(),
                    s.line.to_string(),
                    s.requirement.clone(),
                    if s.decides { "yes" } else { "no" }.to_string(),
                    s.differs.clone().unwrap_or_default(),
                    c.resolution.clone(),
                ]
            })
        })
        .collect();
    Table {
        header: header.map(String::from).to_vec(),
        rows,
    }
}

/// `history.csv`, or its columns alone while the pipeline writes none.
fn history_table(dataset: &Dataset) -> Table {
    if !dataset.history.header.is_empty() {
        return dataset.history.clone();
    }
    let header = [
        "category_id",
        "subject",
        "level1",
        "level2",
        "level3",
        "as_of",
        "source",
        "change",
        "licences_added",
        "licences_removed",
        "requirement",
    ];
    Table {
        header: header.map(String::from).to_vec(),
        rows: Vec::new(),
    }
}

/// Display cells of a text: CJK and full-width characters count two.
fn display_width(text: &str) -> usize {
    text.lines()
        .map(|l| {
            l.chars()
                .map(|c| if c >= '\u{1100}' { 2 } else { 1 })
                .sum::<usize>()
        })
        .max()
        .unwrap_or(0)
}

fn write_sheet(sheet: &mut Worksheet, name: &str, table: &Table) -> Result<()> {
    let bold = Format::new().set_bold().set_text_wrap();
    let wrap = Format::new().set_text_wrap();
    let plain = Format::new();
    sheet.set_name(name)?;
    for (col, column) in table.header.iter().enumerate() {
        let col = u16::try_from(col).context("too many columns")?;
        sheet.write_string_with_format(0, col, header_label(column), &bold)?;
    }
    for (row, cells) in table.rows.iter().enumerate() {
        let row = u32::try_from(row + 1).context("too many rows")?;
        for (col, (value, column)) in cells.iter().zip(&table.header).enumerate() {
            let col = col as u16;
            let long = display_width(value) > MAX_WIDTH || value.contains('\n');
            let format = if long { &wrap } else { &plain };
            match value.parse::<u32>() {
                Ok(n) if NUMBER_COLUMNS.contains(&column.as_str()) => {
                    sheet.write_number_with_format(row, col, n, format)?;
                }
                _ => {
                    sheet.write_string_with_format(row, col, value, format)?;
                }
            }
        }
    }
    for (col, column) in table.header.iter().enumerate() {
        let widest = table
            .rows
            .iter()
            .filter_map(|r| r.get(col))
            .map(|v| display_width(v))
            .chain([display_width(&header_label(column)) / 2 + 2])
            .max()
            .unwrap_or(8);
        sheet.set_column_width(col as u16, widest.clamp(6, MAX_WIDTH) as f64 + 1.0)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_row = u32::try_from(table.rows.len()).context("too many rows")?;
    let last_col = u16::try_from(table.header.len().max(1) - 1).context("too many columns")?;
    sheet.autofilter(0, 0, last_row, last_col)?;
    Ok(())
}

/// The workbook as bytes; the same dataset gives the same bytes.
pub fn workbook(dataset: &Dataset) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let properties = DocProperties::new()
        .set_title("leimu: WeChat Mini Program service categories and licences")
        .set_author("leimu")
        .set_comment("Generated from normalized/ by `leimu export --xlsx`; do not edit.")
        .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?);
    book.set_properties(&properties);
    for (name, table) in sheets(dataset) {
        write_sheet(book.add_worksheet(), name, &table)?;
    }
    Ok(book.save_to_buffer()?)
}

/// Each CSV of `normalized/` (and the link table, derived when the pipeline
/// does not write it) with a UTF-8 byte-order mark, as (path, bytes).
pub fn csv_with_bom(dataset: &Dataset) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files: Vec<(String, Vec<u8>)> = dataset
        .csv_files
        .iter()
        .map(|(p, b)| (p.clone(), b.clone()))
        .collect();
    if !dataset.csv_files.contains_key("category-licences.csv") {
        files.push((
            "category-licences.csv".into(),
            table_csv(&links_table(dataset))?,
        ));
    }
    Ok(files
        .into_iter()
        .map(|(p, b)| (p, [b"\xEF\xBB\xBF".as_slice(), &b].concat()))
        .collect())
}

fn table_csv(table: &Table) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&table.header)?;
    for row in &table.rows {
        writer.write_record(row)?;
    }
    writer.into_inner().context("cannot finish CSV")
}

/// `leimu export`: reads `root/normalized` and writes what was asked.
pub fn run(root: &Path, xlsx: Option<&Path>, csv_bom: Option<&Path>) -> Result<()> {
    if let Some(warning) = crate::dataset::staleness_warning(root) {
        eprintln!("{warning}");
    }
    let dataset = Dataset::load(root)?;
    if let Some(path) = xlsx {
        let bytes = workbook(&dataset)?;
        std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    if let Some(dir) = csv_bom {
        let files = csv_with_bom(&dataset)?;
        for (relative, bytes) in &files {
            let path = dir.join(relative);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            std::fs::write(&path, bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        eprintln!("wrote {} CSV files to {}", files.len(), dir.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_carry_both_languages() {
        assert_eq!(header_label("level1"), "一级类目 level1");
        assert_eq!(header_label("unknown_column"), "unknown_column");
    }

    #[test]
    fn chinese_counts_double_in_column_widths() {
        assert_eq!(display_width("直播"), 4);
        assert_eq!(display_width("ab\n直"), 2);
    }
}
