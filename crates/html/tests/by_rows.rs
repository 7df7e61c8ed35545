//! Reading tables row by row as the parse completes them
//! (`parse_tables`) gives exactly what reading the whole tree gives
//! (`parse_tables_whole`): records, diagnostics and their order, errors.
//!
//! Pages are generated with what the row-by-row reading must get right:
//! rowspans across rows, `rowspan=0`, spans past their row group, colspans
//! and overlaps, `thead`/`tbody`/`tfoot`, tables nested in cells (with
//! headings in them), headings and text the tree builder moves out of a
//! table (foster parenting), formatting elements the adoption agency
//! rearranges, forms, templates, comments, and tables or cells the end of
//! the input closes.

use leimu_html::tables::{parse_tables_by_rows, parse_tables_whole};
use leimu_model::{DocumentInfo, Subject};

fn doc(default_subject: Option<Subject>) -> DocumentInfo {
    DocumentInfo {
        source: "page".into(),
        file: "page.html".into(),
        default_subject,
    }
}

const HEADERS: &[&str] = &[
    "一级类目",
    "二级类目",
    "三级类目",
    "法务建议资质文件",
    "备注",
    "一级分类",
    "其他",
    "",
];

const HEADINGS: &[&str] = &["个人主体小程序", "企业 非个人主体", "海外主体", "类目"];

struct Page<'r> {
    rng: &'r mut fastrand::Rng,
    out: String,
    depth: usize,
}

impl Page<'_> {
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.rng.usize(..items.len())]
    }

    fn chance(&mut self, percent: u8) -> bool {
        self.rng.u8(..100) < percent
    }

    fn newline(&mut self) {
        if self.chance(60) {
            self.out.push('\n');
        }
    }

    fn heading(&mut self) {
        let level = self.rng.u8(1..7);
        let text = self.pick(HEADINGS);
        self.out.push_str(&format!("<h{level}>{text}</h{level}>"));
        self.newline();
    }

    fn text(&mut self) {
        let words = [
            "工具",
            "记账",
            "/",
            "《甲》",
            "a&amp;b",
            " ",
            "生活 服务",
            "x",
        ];
        let text = self.pick(&words);
        match self.rng.u8(..12) {
            0 => self.out.push_str(&format!("{text}<br>{text}")),
            1 => self
                .out
                .push_str(&format!("<b>{text}<i>{text}</b>{text}</i>")),
            2 => self.out.push_str(&format!("<p>{text}</p>{text}")),
            3 => self.out.push_str(&format!("<!-- {text} -->{text}")),
            4 => self.out.push_str(&format!("<form>{text}<input></form>")),
            5 => self
                .out
                .push_str(&format!("<template><tr><td>{text}</template>")),
            6 => self.out.push_str(&format!("<div><span>{text}")),
            _ => self.out.push_str(text),
        }
    }

    fn attrs(&mut self) -> String {
        let mut attrs = String::new();
        if self.chance(30) {
            let span = self.pick(&["0", "1", "2", "3", "5", "99", "x", "70000"]);
            attrs.push_str(&format!(" rowspan={span}"));
        }
        if self.chance(15) {
            let span = self.pick(&["0", "2", "3", "x"]);
            attrs.push_str(&format!(" colspan=\"{span}\""));
        }
        attrs
    }

    fn cell(&mut self, header: bool) {
        let tag = if header || self.chance(10) {
            "th"
        } else {
            "td"
        };
        let attrs = self.attrs();
        self.out.push_str(&format!("<{tag}{attrs}>"));
        if header {
            let text = self.pick(HEADERS);
            self.out.push_str(text);
        } else if self.depth < 2 && self.chance(4) {
            self.depth += 1;
            if self.chance(50) {
                self.heading();
            }
            self.table();
            self.text();
            self.depth -= 1;
        } else if self.chance(5) {
            self.heading();
        } else {
            self.text();
        }
        if self.chance(70) {
            self.out.push_str(&format!("</{tag}>"));
        }
    }

    fn row(&mut self, header: bool) {
        self.out.push_str("<tr>");
        let cells = if header {
            2 + self.rng.usize(..3)
        } else {
            self.rng.usize(..5)
        };
        for _ in 0..cells {
            self.cell(header);
            self.newline();
        }
        if self.chance(80) {
            self.out.push_str("</tr>");
        }
        self.newline();
        // What the tree builder moves before the table.
        match self.rng.u8(..40) {
            0 => self.heading(),
            1 => self.out.push_str("stray text"),
            2 => self.out.push_str("<!-- between rows -->"),
            3 => self.out.push_str("<b>bold"),
            4 => self.out.push_str("</b>"),
            _ => {}
        }
    }

    fn table(&mut self) {
        self.out.push_str("<table>");
        self.newline();
        if self.chance(10) {
            self.out.push_str("<caption>c</caption>");
        }
        let groups = 1 + self.rng.usize(..3);
        for g in 0..groups {
            let tag = match self.rng.u8(..4) {
                0 => Some("thead"),
                1 => Some("tbody"),
                2 => Some("tfoot"),
                _ => None,
            };
            if let Some(tag) = tag {
                self.out.push_str(&format!("<{tag}>"));
            }
            let rows = self.rng.usize(..7);
            for r in 0..rows {
                let header = g == 0 && r == 0 && self.chance(80);
                self.row(header);
            }
            if let (Some(tag), true) = (tag, self.chance(80)) {
                self.out.push_str(&format!("</{tag}>"));
            }
        }
        if self.depth > 0 || self.chance(93) {
            self.out.push_str("</table>");
        }
        self.newline();
    }
}

fn page(rng: &mut fastrand::Rng) -> String {
    let mut page = Page {
        rng,
        out: String::new(),
        depth: 0,
    };
    for _ in 0..1 + page.rng.usize(..4) {
        match page.rng.u8(..5) {
            0 => page.heading(),
            1 => page.text(),
            _ => page.table(),
        }
    }
    if page.chance(5) {
        page.out.push_str("<!-- open");
    }
    page.out
}

#[test]
fn reading_rows_as_they_come_gives_what_the_whole_tree_gives() {
    let mut rng = fastrand::Rng::with_seed(0x5ca1e);
    let (mut by_rows, mut with_records, mut fell_back) = (0, 0, 0);
    for case in 0..3000 {
        let text = page(&mut rng);
        let doc = doc([None, Some(Subject::Enterprise)][case % 2]);
        let whole = parse_tables_whole(&doc, &text);
        match parse_tables_by_rows(&doc, &text) {
            Some(out) => {
                assert_eq!(out, whole, "case {case}:\n{text}");
                by_rows += 1;
                with_records += usize::from(out.is_ok_and(|o| o.records.len() > 1));
            }
            None => fell_back += 1,
        }
        assert_eq!(leimu_html::parse_tables(&doc, &text), whole, "case {case}");
    }
    // The generator must exercise the row-by-row reading, on category tables.
    assert!(
        fell_back * 20 < by_rows,
        "{fell_back} fell back, {by_rows} read by rows"
    );
    assert!(with_records > 500, "only {with_records} pages with records");
}

/// One case of each kind the reading must get right, for a readable failure.
#[test]
fn named_cases_read_by_rows_as_whole() {
    let header = "<tr><th>一级类目</th><th>二级类目</th><th>法务建议资质文件</th></tr>";
    let cases = [
        // Rowspans across rows, rowspan=0 and a span past its group.
        format!(
            "<h2>个人主体</h2><table><thead>{header}</thead><tbody>\
             <tr><td rowspan=3>工具</td><td>记账</td><td rowspan=0>/</td></tr>\
             <tr><td>天气</td></tr><tr><td rowspan=5>日历</td></tr></tbody>\
             <tbody><tr><td>生活</td><td colspan=2>x</td></tr>\n<tr><td>y</td></tr></tbody></table>"
        ),
        // Colspans and overlaps.
        format!(
            "<table>{header}<tr><td>a</td><td rowspan=2>b</td><td>c</td></tr>\
             <tr><td colspan=3>d</td><td>多余</td></tr><tr><td>e</td><td>f</td><td>g</td></tr></table>"
        ),
        // A table nested in a cell, with a heading in it, then a table after.
        format!(
            "<table>{header}<tr><td>a<table><tr><td><h3>个人主体</h3>n</td></tr><tr><td>m</td></tr>\
             </table></td><td>b</td><td>/</td></tr><tr><td>c</td><td>d</td><td>/</td></tr></table>\
             <table>{header}<tr><td>e</td><td>f</td><td>/</td></tr><tr><td>g</td></tr></table>"
        ),
        // A table unclosed at the end of the input.
        format!(
            "<table>\n{header}\n<tr><td>工具</td><td>记账</td><td>《甲》\n<tr><td>x</td></tr>\n<div>页脚"
        ),
        // A heading foster-parented out of the table after some rows.
        format!(
            "<h2>企业主体</h2><table>{header}<tr><td>a</td><td>b</td><td>/</td></tr>\
             <h2>个人主体</h2><tr><td>c</td><td>d</td><td>/</td></tr><tr><td>e</td></tr></table>"
        ),
        // A table inside a heading: its text is the heading's.
        format!(
            "<h2>个人主体<table><tr><td>x</td></tr><tr><td>y</td></tr></table></h2>\
             <table>{header}<tr><td>a</td><td>b</td><td>/</td></tr><tr><td>c</td></tr></table>"
        ),
    ];
    for (i, text) in cases.iter().enumerate() {
        let doc = doc(None);
        let whole = parse_tables_whole(&doc, text);
        let by_rows = parse_tables_by_rows(&doc, text);
        assert_eq!(by_rows.as_ref(), Some(&whole), "case {i}:\n{text}");
    }
}
