//! One test per construct of the grammar.

use super::*;

fn lic(name: &str) -> Requirement {
    Requirement::Licence {
        name: name.into(),
        qualifier: String::new(),
    }
}

fn lic_q(name: &str, qualifier: &str) -> Requirement {
    Requirement::Licence {
        name: name.into(),
        qualifier: qualifier.into(),
    }
}

fn doc(text: &str) -> Requirement {
    Requirement::Document { text: text.into() }
}

fn all(of: Vec<Requirement>) -> Requirement {
    Requirement::AllOf { of }
}

fn any(of: Vec<Requirement>) -> Requirement {
    Requirement::AnyOf { choose: None, of }
}

fn when(condition: &str, then: Requirement) -> Requirement {
    Requirement::When {
        condition: condition.into(),
        then: Box::new(then),
    }
}

fn p(text: &str) -> Requirement {
    parse(text, None).unwrap()
}

#[test]
fn a_single_licence_and_a_document() {
    assert_eq!(p("《营业执照》"), lic("营业执照"));
    assert_eq!(
        p("政府交通管理部门备案证明"),
        doc("政府交通管理部门备案证明")
    );
    assert_eq!(parse("  ", None), None);
}

#[test]
fn or_and_and_bind_as_written() {
    assert_eq!(p("《A证》或《B证》"), any(vec![lic("A证"), lic("B证")]));
    assert_eq!(
        p("该公司/机场主体的《A证》/《B证》"),
        any(vec![lic_q("A证", "该公司/机场主体的"), lic("B证")])
    );
    assert_eq!(p("《A证》和《B证》"), all(vec![lic("A证"), lic("B证")]));
    assert_eq!(
        p("《A证》，或经司法厅批准的文件"),
        any(vec![lic("A证"), doc("经司法厅批准的文件")])
    );
    assert_eq!(
        p("《营业执照》和《A》或《营业执照》和《B》和《C》"),
        any(vec![
            all(vec![lic("营业执照"), lic("A")]),
            all(vec![lic("营业执照"), lic("B"), lic("C")])
        ])
    );
}

#[test]
fn every_all_of_connective() {
    for text in [
        "《A》与《B》",
        "《A》及《B》",
        "《A》以及《B》",
        "《A》+《B》",
        "《A》、《B》",
    ] {
        assert_eq!(p(text), all(vec![lic("A"), lic("B")]), "{text}");
    }
    assert_eq!(
        p("省金融办批准文件以及《申请主体资质承诺函》"),
        all(vec![doc("省金融办批准文件"), lic("申请主体资质承诺函")])
    );
}

#[test]
fn connectives_inside_names_do_not_split() {
    // 及 in 两个及以上, 或 in 设立或授权, 或 inside brackets.
    assert_eq!(
        p("人民政府设立或授权的资产管理公司文件"),
        doc("人民政府设立或授权的资产管理公司文件")
    );
    assert_eq!(
        p("银监会备案证明材料或者省（自治区、直辖市或深圳市等）金融办批准文件"),
        any(vec![
            doc("银监会备案证明材料"),
            doc("省（自治区、直辖市或深圳市等）金融办批准文件")
        ])
    );
    assert_eq!(
        p("区、县级教育部门颁发的《民办学校办学许可证》"),
        lic_q("民办学校办学许可证", "区、县级教育部门颁发的")
    );
}

#[test]
fn qualifiers_stay_with_their_licence() {
    assert_eq!(
        p("《网络文化经营许可证》（经营范围含网络表演）"),
        lic_q("网络文化经营许可证", "（经营范围含网络表演）")
    );
    assert_eq!(
        p("《营业执照》且经营范围包含：提供出国探亲访友等信息咨询服务"),
        lic_q("营业执照", "且经营范围包含：提供出国探亲访友等信息咨询服务")
    );
    assert_eq!(
        p("《经营证券期货业务许可证》且业务范围必须包含“基金”或《基金托管业务许可证》"),
        any(vec![
            lic_q("经营证券期货业务许可证", "且业务范围必须包含“基金”"),
            lic("基金托管业务许可证")
        ])
    );
}

#[test]
fn conditions_in_every_form() {
    assert_eq!(
        p("政府/事业单位，提供《组织机构代码证》或《统一社会信用代码证》非政府/事业单位，提供《相关政府部门的资质授权文件》"),
        all(vec![
            when("政府/事业单位", any(vec![lic("组织机构代码证"), lic("统一社会信用代码证")])),
            when("非政府/事业单位", lic("相关政府部门的资质授权文件")),
        ])
    );
    assert_eq!(
        p("批发：省级部门的《出版物经营许可证》零售：县级部门的《出版物经营许可证》"),
        all(vec![
            when("批发", lic_q("出版物经营许可证", "省级部门的")),
            when("零售", lic_q("出版物经营许可证", "县级部门的")),
        ])
    );
    assert_eq!(
        p("经营快递业务的企业需提交《快递业务经营许可证》快递企业末端网点需提供所在地邮政管理部门备案证明"),
        all(vec![
            when("经营快递业务的企业", lic("快递业务经营许可证")),
            when("快递企业末端网点", doc("所在地邮政管理部门备案证明")),
        ])
    );
    assert_eq!(
        p("《统一社会信用代码》及《情况说明函件》（适用于政府主体）"),
        when(
            "适用于政府主体",
            all(vec![lic("统一社会信用代码"), lic("情况说明函件")])
        )
    );
}

#[test]
fn parenthesised_alternatives() {
    assert_eq!(
        p("《民办学校办学许可证》及营业执照（或事业单位法人证书、民办非企业单位登记证书）"),
        all(vec![
            lic("民办学校办学许可证"),
            any(vec![
                doc("营业执照"),
                doc("事业单位法人证书"),
                doc("民办非企业单位登记证书")
            ]),
        ])
    );
}

#[test]
fn numbered_lines_with_and_without_choose() {
    let r = parse("1.《甲证》\n2.《乙证》（含丙）", Some(2)).unwrap();
    assert_eq!(
        r,
        Requirement::AnyOf {
            choose: Some(2),
            of: vec![lic("甲证"), lic_q("乙证", "（含丙）")]
        }
    );
    let r = parse("1、《甲证》\n2、《乙证》", None).unwrap();
    assert_eq!(r, all(vec![lic("甲证"), lic("乙证")]));
}

#[test]
fn what_the_grammar_cannot_place_is_kept() {
    let r = p("两个及以上的运营商合作协议，并加盖公章；和《网络销售与实名制授权书》和授权防伪二维码标识（中国移动除外）");
    assert!(
        r.has_unparsed() || r.licences().contains("网络销售与实名制授权书"),
        "{r:?}"
    );
    let r = p("《甲》《乙》");
    assert_eq!(
        r,
        Requirement::Unparsed {
            text: "《甲》《乙》".into()
        }
    );
    assert_eq!(r.unparsed(), ["《甲》《乙》"]);
}

#[test]
fn notice_trees_convert_with_conditions_and_groups() {
    let leaf = |label: &str, text: &str| RequirementNode {
        label: label.into(),
        text: text.into(),
        ..Default::default()
    };
    let tree = RequirementNode {
        group: Some(Group::AnyOf { choose: Some(2) }),
        children: vec![
            RequirementNode {
                label: "1、".into(),
                text: "金融资产管理公司提供".into(),
                group: Some(Group::AnyOf { choose: Some(2) }),
                children: vec![
                    leaf("①", "《金融许可证》"),
                    leaf("②", "地方资产管理公司文件"),
                ],
                ..Default::default()
            },
            RequirementNode {
                label: "2、".into(),
                text: "合作平台".into(),
                group: Some(Group::AllOf),
                children: vec![leaf("①", "《合作协议》")],
                ..Default::default()
            },
            RequirementNode {
                alternatives: vec!["卫健委批文".into(), "医管局批文".into()],
                ..leaf("3、", "卫健委批文或医管局批文")
            },
        ],
        ..Default::default()
    };
    assert_eq!(
        from_tree(&tree).unwrap(),
        Requirement::AnyOf {
            choose: Some(2),
            of: vec![
                when(
                    "金融资产管理公司",
                    Requirement::AnyOf {
                        choose: Some(2),
                        of: vec![lic("金融许可证"), doc("地方资产管理公司文件")]
                    }
                ),
                when("合作平台", lic("合作协议")),
                any(vec![doc("卫健委批文"), doc("医管局批文")]),
            ],
        }
    );
}

#[test]
fn canonical_form_ignores_order_and_connective_spelling() {
    let id = |s: &str| s.to_string();
    assert_eq!(
        p("《A》和《B》").canonical(&id),
        p("《B》与《A》").canonical(&id)
    );
    assert_ne!(
        p("《A》和《B》").canonical(&id),
        p("《A》或《B》").canonical(&id)
    );
    let alias = |s: &str| {
        if s == "A证书" {
            "A证".to_string()
        } else {
            s.to_string()
        }
    };
    assert_eq!(
        p("《A证书》或《B》").canonical(&alias),
        p("《B》或《A证》").canonical(&alias)
    );
    let nested = all(vec![all(vec![lic("A"), lic("B")]), lic("C")]);
    assert_eq!(
        nested.canonical(&id),
        p("《C》和《B》和《A》").canonical(&id)
    );
    assert_eq!(nested.canonical(&id).render(), "《A》 和 《B》 和 《C》");
}

#[test]
fn condition_patterns_compile() {
    assert_eq!(CONDITION_RES.len(), CONDITIONS.len(), "{CONDITIONS:?}");
}
