//! The `leimu` command as a user runs it.

mod common;

use leimu_model::Subject;
use std::process::{Command, Output};

fn leimu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leimu"))
        .args(args)
        .current_dir(common::root())
        .output()
        .expect("leimu runs")
}

#[test]
fn extract_prints_the_same_csv_as_ingest() {
    let out = leimu(&[
        "extract",
        "--parser",
        "markdown-tables",
        "raw/service-categories.md",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let generated = common::generated();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        common::file(&generated, "extracted/service-categories.csv")
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("raw/service-categories.md:14: ambiguous:"),
        "{stderr}"
    );
}

#[test]
fn extract_writes_json_on_request() {
    let out = leimu(&[
        "extract",
        "--parser",
        "markdown-tables",
        "--format",
        "json",
        "raw/service-categories.md",
    ]);
    assert!(out.status.success());
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value.as_array().map(Vec::len), Some(383));
}

fn fails_with(args: &[&str], expected: &[&str]) {
    let out = leimu(args);
    assert!(!out.status.success(), "{args:?} should fail");
    let stderr = String::from_utf8(out.stderr).unwrap();
    for e in expected {
        assert!(
            stderr.contains(e),
            "stderr of {args:?} lacks {e:?}: {stderr}"
        );
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn bad_input_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let no_table = dir.path().join("prose.md");
    std::fs::write(&no_table, "# 标题\n\n只有文字。\n").unwrap();
    let not_utf8 = dir.path().join("latin1.md");
    std::fs::write(&not_utf8, b"| a |\n|---|\n| \xe9t\xe9 |\n").unwrap();

    fails_with(
        &["extract", "--parser", "markdown-tables", "no/such/file.md"],
        &["no/such/file.md", "cannot read"],
    );
    fails_with(
        &[
            "extract",
            "--parser",
            "markdown-tables",
            no_table.to_str().unwrap(),
        ],
        &["prose.md", "no category table"],
    );
    fails_with(
        &[
            "extract",
            "--parser",
            "markdown-tables",
            not_utf8.to_str().unwrap(),
        ],
        &["latin1.md:3:", "not UTF-8"],
    );
    fails_with(
        &["extract", "--parser", "pdf", "x.pdf"],
        &["unknown parser `pdf`"],
    );
}

/// Writes `contents` to a file called `name` in a fresh directory, runs
/// `leimu extract --parser PARSER` on it, expects success, and returns
/// standard output and standard error.
fn extract_document(parser: &str, name: &str, contents: &str) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    let out = leimu(&["extract", "--parser", parser, path.to_str().unwrap()]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    (String::from_utf8(out.stdout).unwrap(), stderr)
}

#[test]
fn extract_reads_a_revised_document_with_unknown_tables() {
    let (stdout, stderr) = extract_document(
        "markdown-tables",
        "revision.md",
        "## 非个人主体\n\n| 一级分类 | 二级分类 | 三级分类 | 法务建议的资质文件 | 备注 |\n|-|-|-|-|-|\n\
         | 社交 | 陌生人交友 | / | 《增值电信业务经营许可证》 | 审核7天 |\n| 熟人交友 | / | | | |\n\n\
         | 价格 | 说明 |\n|-|-|\n| 1 | x |\n",
    );
    assert!(stdout.contains("revision,6,enterprise,社交,熟人交友,,《增值电信业务经营许可证》,增值电信业务经营许可证,,审核7天"), "{stdout}");
    assert!(stderr.contains("revision.md:10: skipped:"), "{stderr}");
}

#[test]
fn extract_reads_a_whole_saved_html_page() {
    let (stdout, _) = extract_document(
        "html-tables",
        "saved.html",
        "<!DOCTYPE html>\n<html><head><title>&#x670D;&#x52A1;</title><script>var t = '<table><tr>';</script></head>\n<body>\n\
         <div class=\"nav\"><a href=\"/\">首页</a></div>\n<h2>&#x6D77;&#x5916;&#x4E3B;&#x4F53;</h2>\n<table>\n\
         <tr><th>一级类目</th><th>二级类目</th><th>法务建议资质文件</th></tr>\n\
         <tr><td rowspan=\"2\">&#x5DE5;&#x5177;</td><td>记账</td><td>/</td></tr>\n\
         <tr><td>天气</td><td><b>《A》</b><br>或《B》</td></tr>\n</table>\n<footer>©</footer></body></html>\n",
    );
    let (ledger, weather) = (
        id(Subject::Overseas, "工具", "记账"),
        id(Subject::Overseas, "工具", "天气"),
    );
    assert_eq!(
        stdout,
        format!(
            "source,line,subject,level1,level2,level3,requirement,licences,scope,notes,category_id\n\
             saved,8,overseas,工具,记账,,,,,,{ledger}\n\
             saved,9,overseas,工具,天气,,\"《A》\n或《B》\",A;B,,,{weather}\n"
        )
    );
}

#[test]
fn extract_reads_another_notice_of_the_same_shape() {
    let (stdout, _) = extract_document(
        "notice",
        "notice-2025q2.txt",
        "2025年4-6月小程序類目調整匯總公告\n\n類目新增\n\n境外主體\n\n#【本地服務-外賣】\n\n現資質要求\n\n(2選1):\n\n1、《營業執照》\n\n2、當地餐飲許可證\n\n類目適用範圍\n\n適用於外賣服務。\n\n請登錄後查看\n回復\n",
    );
    let takeaway = id(Subject::Overseas, "本地服务", "外卖");
    assert_eq!(
        stdout,
        format!(
            "source,line,subject,level1,level2,level3,requirement,licences,scope,notes,section,status,category_id\n\
             notice-2025q2,7,overseas,本地服务,外卖,,\"(2选1):\n  1、《营业执照》\n  2、当地餐饮许可证\",营业执照,适用于外卖服务。,,added,,{takeaway}\n"
        )
    );
}

/// The category id the canonical dataset gives this path.
fn id(subject: Subject, level1: &str, level2: &str) -> String {
    let path = leimu_model::CategoryPath {
        level1: level1.into(),
        level2: level2.into(),
        level3: Default::default(),
    };
    leimu_normalize::CategoryKey::of(subject, &path).id()
}
