//! The same category tables as HTML with rowspans and as flattened markdown
//! must give the same records.

mod common;

use leimu_model::{DocumentInfo, ExtractedRecord, Subject};

fn doc(name: &str) -> DocumentInfo {
    DocumentInfo {
        source: name.into(),
        file: name.into(),
        default_subject: None,
    }
}

/// The fields that must agree (lines differ between renderings).
fn content(
    records: &[ExtractedRecord],
) -> Vec<(Option<Subject>, String, String, String, String, String)> {
    records
        .iter()
        .map(|r| {
            (
                r.subject,
                r.path.level1.to_string(),
                r.path.level2.to_string(),
                r.path.level3.to_string(),
                r.requirement.to_string(),
                r.notes.to_string(),
            )
        })
        .collect()
}

#[test]
fn a_small_table_reads_the_same_in_both_renderings() {
    let html = "<h2>非个人主体小程序开放的服务类目</h2>
<table>
<tr><th>一级分类</th><th>二级分类</th><th>三级分类</th><th>法务建议的资质文件</th><th>备注</th></tr>
<tr><td rowspan=4>社交</td><td>陌生人交友</td><td>/</td><td rowspan=2>《增值电信业务经营许可证》</td><td rowspan=4>需审核</td></tr>
<tr><td>熟人交友</td><td>/</td></tr>
<tr><td rowspan=2>直播</td><td>娱乐</td><td rowspan=2>《网络文化经营许可证》</td></tr>
<tr><td>教育</td></tr>
<tr><td>餐饮</td><td>菜谱</td><td>/</td><td>/</td><td>/</td></tr>
</table>";
    // The converter's output: covered cells missing, rows padded at the end.
    let markdown = "## 非个人主体小程序开放的服务类目

| 一级分类 | 二级分类 | 三级分类 | 法务建议的资质文件 | 备注 |
| --- | --- | --- | --- | --- |
| 社交 | 陌生人交友 | / | 《增值电信业务经营许可证》 | 需审核 |
| 熟人交友 | / | | | |
| 直播 | 娱乐 | 《网络文化经营许可证》 | | |
| 教育 | | | | |
| 餐饮 | 菜谱 | / | / | / |
";
    let from_html = leimu_html::parse_tables(&doc("t.html"), html).unwrap();
    let from_markdown = leimu_markdown::parse(&doc("t.md"), markdown).unwrap();
    assert_eq!(from_html.records.len(), 5);
    assert_eq!(content(&from_html.records), content(&from_markdown.records));
    assert_eq!(from_html.records[3].path.to_string(), "社交 › 直播 › 教育");
    assert_eq!(from_html.records[3].requirement, "《网络文化经营许可证》");
}

/// Every character outside ASCII as a numeric entity, as some saved pages have it.
fn encode(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string()
            } else {
                format!("&#x{:X};", c as u32)
            }
        })
        .collect()
}

/// Renders records as an HTML page: one table per subject under its heading,
/// equal values of consecutive rows merged with rowspan within a level-1 group
/// (level 2 also within its level 1; level 3 never).
fn render_page(records: &[ExtractedRecord]) -> String {
    let mut page = String::from("<!DOCTYPE html>\n<html><head><title>服务类目</title></head><body>\n<nav>首页 | 搜索</nav>\n");
    let mut start = 0;
    while start < records.len() {
        let subject = records[start].subject;
        let end = records[start..]
            .iter()
            .position(|r| r.subject != subject)
            .map_or(records.len(), |n| start + n);
        let rows = &records[start..end];
        let with_notes =
            rows.iter().any(|r| !r.notes.is_empty()) || subject != Some(Subject::Personal);
        let heading = match subject {
            Some(Subject::Enterprise) => "非个人主体小程序开放的服务类目",
            Some(Subject::Personal) => "个人主体小程序开放的服务类目",
            _ => "海外主体小程序开放的服务类目",
        };
        page.push_str(&format!("<h2>{}</h2>\n<table><thead><tr><th>一级分类</th><th>二级分类</th><th>三级分类</th><th>法务建议的资质文件</th>{}</tr></thead><tbody>\n", encode(heading), if with_notes { "<th>备注</th>" } else { "" }));
        let value = |r: &ExtractedRecord, c: usize| -> String {
            let v = match c {
                0 => &r.path.level1,
                1 => &r.path.level2,
                2 => &r.path.level3,
                3 => &r.requirement,
                _ => &r.notes,
            };
            if v.is_empty() {
                "/".to_string()
            } else {
                v.to_string()
            }
        };
        let columns = if with_notes { 5 } else { 4 };
        let merges = |i: usize, j: usize, c: usize| {
            c != 2
                && value(&rows[i], 0) == value(&rows[j], 0)
                && (c != 1 || value(&rows[i], 1) == value(&rows[j], 1))
                && value(&rows[i], c) == value(&rows[j], c)
        };
        for i in 0..rows.len() {
            page.push_str("<tr>");
            for c in 0..columns {
                if i > 0 && merges(i - 1, i, c) {
                    continue;
                }
                let span = (i + 1..rows.len())
                    .take_while(|&j| merges(j - 1, j, c))
                    .count()
                    + 1;
                let attr = if span > 1 {
                    format!(" rowspan=\"{span}\"")
                } else {
                    String::new()
                };
                page.push_str(&format!(
                    "<td{attr}><span>{}</span></td>",
                    encode(&value(&rows[i], c))
                ));
            }
            page.push_str("</tr>\n");
        }
        page.push_str("</tbody></table>\n");
        start = end;
    }
    page.push_str("<footer>Copyright</footer></body></html>\n");
    page
}

#[test]
fn the_category_list_as_an_html_page_gives_the_markdown_records() {
    let text = std::fs::read_to_string(common::root().join("raw/service-categories.md")).unwrap();
    let from_markdown = leimu_markdown::parse(&doc("service-categories.md"), &text).unwrap();
    let page = render_page(&from_markdown.records);
    assert!(
        page.contains("rowspan=\"59\""),
        "the 政务民生 requirement spans its group"
    );
    let from_html = leimu_html::parse_tables(&doc("service-categories.html"), &page).unwrap();
    assert_eq!(from_html.records.len(), 383);
    assert_eq!(content(&from_html.records), content(&from_markdown.records));
    // Lines point at each record's own <tr>.
    let lines: Vec<u32> = from_html
        .records
        .iter()
        .map(|r| r.provenance.line)
        .collect();
    let tr_lines: Vec<u32> = page
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("<tr><td"))
        .map(|(i, _)| i as u32 + 1)
        .collect();
    assert_eq!(lines, tr_lines);
}
