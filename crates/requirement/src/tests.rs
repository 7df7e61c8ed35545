//! One test per construct of the grammar.

use super::*;
use leimu_model::Group;

fn lic(name: &str) -> Requirement {
    lic_q(name, "")
}

/// A licence with words after its name.
fn lic_q(name: &str, after: &str) -> Requirement {
    Requirement::licence(name, "", after)
}

/// A licence with words before its name (and after, if any).
fn lic_b(before: &str, name: &str, after: &str) -> Requirement {
    Requirement::licence(name, before, after)
}

/// `licence` as written without 《》.
fn bare(licence: Requirement) -> Requirement {
    match licence {
        Requirement::Licence {
            name,
            qualifier,
            before,
            ..
        } => Requirement::Licence {
            name,
            qualifier,
            before,
            bare: true,
        },
        other => other,
    }
}

fn doc(text: &str) -> Requirement {
    Requirement::Document { text: text.into() }
}

fn unparsed(text: &str) -> Requirement {
    Requirement::Unparsed { text: text.into() }
}

fn all(of: Vec<Requirement>) -> Requirement {
    Requirement::AllOf { of }
}

fn any(of: Vec<Requirement>) -> Requirement {
    Requirement::AnyOf { choose: None, of }
}

/// "n选1" as the text states it.
fn pick_one(n: u32, of: Vec<Requirement>) -> Requirement {
    Requirement::AnyOf {
        choose: Some(Choice::one_of(n)),
        of,
    }
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
    // The owner written before the first alternative owns the others
    // (航空代理, raw/notice-2025q1.txt:346), unless they name their own.
    assert_eq!(
        p("该公司/机场主体的《A证》/《B证》"),
        any(vec![
            lic_b("该公司/机场主体的", "A证", ""),
            lic_b("该公司/机场主体的", "B证", "")
        ])
    );
    assert_eq!(
        p("省级部门的《A证》或县级部门的《B证》（含丙）"),
        any(vec![
            lic_b("省级部门的", "A证", ""),
            lic_b("县级部门的", "B证", "（含丙）")
        ])
    );
    assert_eq!(
        p("合作医院《A证》或《B证》"),
        any(vec![lic_b("合作医院", "A证", ""), lic("B证")])
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
        lic_b("区、县级教育部门颁发的", "民办学校办学许可证", "")
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
fn conditions_in_every_form_are_alternatives_in_source_order() {
    // 政务民生 (raw/service-categories.md): one branch per applicant type.
    assert_eq!(
        p("政府/事业单位，提供《组织机构代码证》或《统一社会信用代码证》非政府/事业单位，提供《相关政府部门的资质授权文件》"),
        any(vec![
            when("政府/事业单位", any(vec![lic("组织机构代码证"), lic("统一社会信用代码证")])),
            when("非政府/事业单位", lic("相关政府部门的资质授权文件")),
        ])
    );
    assert_eq!(
        p("批发：省级部门的《出版物经营许可证》零售：县级部门的《出版物经营许可证》"),
        any(vec![
            when("批发", lic_b("省级部门的", "出版物经营许可证", "")),
            when("零售", lic_b("县级部门的", "出版物经营许可证", "")),
        ])
    );
    assert_eq!(
        p("经营快递业务的企业需提交《快递业务经营许可证》快递企业末端网点需提供所在地邮政管理部门备案证明"),
        any(vec![
            when("经营快递业务的企业", lic("快递业务经营许可证")),
            when("快递企业末端网点", doc("所在地邮政管理部门备案证明")),
        ])
    );
    // 时政信息: a condition may start after a document's parenthetical too.
    assert_eq!(
        p("新闻服务商：《甲证》（含乙）政府或监管机构：《丙》和《丁》"),
        any(vec![
            when("新闻服务商", lic_q("甲证", "（含乙）")),
            when("政府或监管机构", all(vec![lic("丙"), lic("丁")])),
        ])
    );
    let rendered = p("批发：《甲证》零售：《乙证》").render();
    assert_eq!(rendered, "(批发：《甲证》) 或 (零售：《乙证》)");
    // Numbered lines that are all conditions, with no stated choice.
    assert_eq!(
        parse("1. 自研：《甲》\n2. 第三方：《乙》", None).unwrap(),
        any(vec![when("自研", lic("甲")), when("第三方", lic("乙"))])
    );
}

#[test]
fn a_trailing_applies_to_conditions_the_alternative_it_ends() {
    // 社交 › 直播 (raw/live-streaming.md): the line is the alternative.
    assert_eq!(
        p("《统一社会信用代码》及《情况说明函件》（适用于政府主体）"),
        when(
            "适用于政府主体",
            all(vec![lic("统一社会信用代码"), lic("情况说明函件")])
        )
    );
    // 文娱 › 视频 (raw/service-categories.md): only the last alternative is for 电视台.
    assert_eq!(
        p("《信息网络传播视听节目许可证》或《广播电视节目制作经营许可证》或《广播电视节目播出机构许可证》（适用于电视台）"),
        any(vec![
            lic("信息网络传播视听节目许可证"),
            lic("广播电视节目制作经营许可证"),
            when("适用于电视台", lic("广播电视节目播出机构许可证")),
        ])
    );
}

/// 文娱 › 视频 (raw/service-categories.md:203): `（适用于秀场类非直播视频，经营范围
/// 须含有…）` says when the licence applies, then what it must cover: the
/// second clause qualifies the licence, it is no part of the condition.
#[test]
fn a_scope_clause_in_an_applies_to_condition_qualifies_the_documents() {
    assert_eq!(
        p("《乙证》或《网络文化经营许可证》（适用于秀场类非直播视频，经营范围须含有网络表演）"),
        any(vec![
            lic("乙证"),
            when(
                "适用于秀场类非直播视频",
                lic_q("网络文化经营许可证", "（经营范围须含有网络表演）")
            ),
        ])
    );
    // Both clauses of all of its documents.
    assert_eq!(
        p("《甲证》和《乙证》（适用于演出，业务范围含演出）"),
        when(
            "适用于演出",
            all(vec![
                lic_q("甲证", "（业务范围含演出）"),
                lic_q("乙证", "（业务范围含演出）"),
            ])
        )
    );
    // A second clause that says something else stays in the condition.
    assert_eq!(
        p("《甲证》（适用于政府主体，事业单位）"),
        when("适用于政府主体，事业单位", lic("甲证"))
    );
}

#[test]
fn a_distributive_qualifier_qualifies_every_item() {
    // 海外 › 餐饮 › 外卖点餐 (raw/service-categories.md)
    let each = "（需经公证机构公证及我国驻该国大使馆或领事馆认证）";
    assert_eq!(
        p("《营业执照》或《公司注册证书》或《其他商事主体登记证明》（均需经公证机构公证及我国驻该国大使馆或领事馆认证）"),
        any(vec![
            lic_q("营业执照", each),
            lic_q("公司注册证书", each),
            lic_q("其他商事主体登记证明", each),
        ])
    );
    for word in ["都", "皆", "分别"] {
        assert_eq!(
            p(&format!("《甲》和《乙》（{word}由省级部门颁发）")),
            all(vec![
                lic_q("甲", "（由省级部门颁发）"),
                lic_q("乙", "（由省级部门颁发）")
            ]),
            "{word}"
        );
    }
    // Not distributive: the last item's own qualifier.
    assert_eq!(
        p("《甲》或《乙》（含丙）"),
        any(vec![lic("甲"), lic_q("乙", "（含丙）")])
    );
}

#[test]
fn a_connective_inside_a_document_description_does_not_split_it() {
    // 商家自营 › 电话卡销售 (raw/service-categories.md line 239): three
    // documents together; 或 is inside the first one's clause.
    assert_eq!(
        p("两个及以上的市级及以上运营商合作协议，并加盖公司公章或合同专用章；和省级及以上运营商授权认证的《网络销售与实名制授权书》和运营商统一配发的授权防伪二维码标识（中国移动除外）"),
        all(vec![
            doc("两个及以上的市级及以上运营商合作协议，并加盖公司公章或合同专用章"),
            lic_b("省级及以上运营商授权认证的", "网络销售与实名制授权书", ""),
            doc("运营商统一配发的授权防伪二维码标识（中国移动除外）"),
        ])
    );
    // A clause ends before a connective followed by a licence name.
    assert_eq!(
        p("《增值电信业务经营许可证》且核准服务项目包含“财经投资类互联网电子公告服务”和 深圳证券交易所《深圳交易所专有信息经营许可合同》"),
        all(vec![
            lic_q(
                "增值电信业务经营许可证",
                "且核准服务项目包含“财经投资类互联网电子公告服务”"
            ),
            lic_b("深圳证券交易所", "深圳交易所专有信息经营许可合同", ""),
        ])
    );
    // Two connectives in a row (`、及`) join, leaving no stray 及.
    assert_eq!(
        p("《小程序开发者承诺函》、及其他平台良好经营情况的证明材料"),
        all(vec![
            lic("小程序开发者承诺函"),
            doc("其他平台良好经营情况的证明材料")
        ])
    );
}

#[test]
fn a_document_before_a_licence_name_is_its_own_document() {
    // The notice's 就医服务 block: the agreement sample, then the licence.
    assert_eq!(
        p("签订协议的合作医院列表、与其中一家医院签订的协议样本、该协议医院的《医疗机构执业许可证》、小程序申请者的承诺书"),
        all(vec![
            doc("签订协议的合作医院列表"),
            doc("与其中一家医院签订的协议样本"),
            lic_b("该协议医院的", "医疗机构执业许可证", ""),
            doc("小程序申请者的承诺书"),
        ])
    );
    assert_eq!(
        p("与医院签订的协议样本《医疗机构执业许可证》"),
        all(vec![doc("与医院签订的协议样本"), lic("医疗机构执业许可证")])
    );
    // A qualifier that is no document stays the licence's.
    assert_eq!(
        p("深度合成服务《在用证明》"),
        lic_b("深度合成服务", "在用证明", "")
    );
}

#[test]
fn a_mistyped_closing_bracket_is_repaired_with_a_warning() {
    // 文娱 › 视频 (raw/service-categories.md)
    let parsed = Grammar::new()
        .parse(
            "《广播电视节目制作经营许可证》或《网络文化经营许可证）（适用于秀场类非直播视频，经营范围须含有音乐娱乐产品或演出剧（节）目）或《广播电视节目播出机构许可证》（适用于电视台）",
            None,
        )
        .unwrap();
    assert_eq!(
        parsed.requirement,
        any(vec![
            lic("广播电视节目制作经营许可证"),
            when(
                "适用于秀场类非直播视频",
                lic_q(
                    "网络文化经营许可证",
                    "（经营范围须含有音乐娱乐产品或演出剧（节）目）"
                )
            ),
            when("适用于电视台", lic("广播电视节目播出机构许可证")),
        ])
    );
    assert_eq!(parsed.warnings.len(), 1);
    assert_eq!(parsed.warnings[0].line, 0);
    assert!(parsed.warnings[0]
        .message
        .contains("《网络文化经营许可证）"));
    // The line of the warning is the line of the text.
    let parsed = Grammar::new().parse("1.《甲》\n2.《乙证）", None).unwrap();
    assert_eq!(parsed.warnings[0].line, 1);
    assert_eq!(parsed.requirement, all(vec![lic("甲"), lic("乙证")]));
}

#[test]
fn known_licence_names_count_when_written_bare() {
    let grammar = Grammar::with_known_licences(["营业执照", "企业营业执照", "事业单位法人证书"]);
    let read = |text: &str| grammar.parse(text, None).unwrap().requirement;
    // 教育 › 培训机构 (raw/service-categories.md)
    assert_eq!(
        read("需提供区、县级教育部门颁发的《民办学校办学许可证》及营业执照（或事业单位法人证书、民办非企业单位登记证书）"),
        all(vec![
            lic_b("区、县级教育部门颁发的", "民办学校办学许可证", ""),
            any(vec![
                bare(lic("营业执照")),
                bare(lic("事业单位法人证书")),
                doc("民办非企业单位登记证书")
            ]),
        ])
    );
    // Longest first; a qualifier before (…的) or after (（…）) is kept.
    assert_eq!(read("企业营业执照"), bare(lic("企业营业执照")));
    assert_eq!(
        read("合作方的营业执照（含乙）"),
        bare(lic_b("合作方的", "营业执照", "（含乙）"))
    );
    // Written as the source writes it, without 《》; the same licence as
    // 《营业执照》 once canonical.
    let id = |s: &str| s.to_string();
    let written = read("营业执照（含乙）");
    assert_eq!(written.render(), "营业执照[（含乙）]");
    assert_eq!(written.canonical_in_source_order(&id), written);
    assert_eq!(
        written.canonical(&id),
        read("《营业执照》（含乙）").canonical(&id)
    );
    // Never inside a longer description, never inside 《》.
    assert_eq!(
        read("主体营业执照等证明文件原件"),
        doc("主体营业执照等证明文件原件")
    );
    assert_eq!(read("《新营业执照》"), lic("新营业执照"));
    // Without known names the same text is a document.
    assert_eq!(p("营业执照"), doc("营业执照"));
}
#[test]
fn a_parenthetical_asking_for_another_document_is_a_condition() {
    // 医疗服务 › 互联网医院 (raw/service-categories.md line 43)
    let grammar = Grammar::with_known_licences(["增值电信业务经营许可证"]);
    let read = grammar
        .parse(
            "《卫计委批文》+合作医院《医疗机构执业许可证》（涉及线上交易提交增值电信业务经营许可证）",
            None,
        )
        .unwrap();
    assert_eq!(
        read.requirement,
        all(vec![
            lic("卫计委批文"),
            all(vec![
                lic_b("合作医院", "医疗机构执业许可证", ""),
                when("涉及线上交易", bare(lic("增值电信业务经营许可证"))),
            ]),
        ])
    );
    // 如 is "for example": the parenthetical only describes (就医服务).
    assert_eq!(
        p("其他平台良好经营情况的证明材料(如app内提供该类目的服务内容截图)"),
        doc("其他平台良好经营情况的证明材料(如app内提供该类目的服务内容截图)")
    );
    // A parenthetical that only describes stays a qualifier.
    assert_eq!(
        p("司法部的许可文件(许可含“为香港用户提供公证服务”等内容)"),
        doc("司法部的许可文件(许可含“为香港用户提供公证服务”等内容)")
    );
}

/// The one shape a parenthetical and a `注:` line share
/// (`Grammar::required_when`): every form it accepts, in a parenthetical.
#[test]
fn a_condition_asking_for_a_document_in_every_form() {
    let added = |condition: &str, then: Requirement| all(vec![lic("甲证"), when(condition, then)]);
    let kept = |inner: &str| lic_q("甲证", inner);
    // The bare verb, 涉及 kept in the condition; 时 and 需/须/应 before it.
    assert_eq!(
        p("《甲证》（涉及线上交易提交《乙证》）"),
        added("涉及线上交易", lic("乙证"))
    );
    assert_eq!(
        p("《甲证》（当涉及直播时须提交《乙证》）"),
        added("涉及直播", lic("乙证"))
    );
    // A comma closes the condition; the if-word is dropped; 同时 and 补充
    // before the verb, spaces after the comma, a full stop after the document.
    assert_eq!(
        p("《甲证》（若涉及线上交易时， 需同时补充提供《乙证》。）"),
        added("涉及线上交易", lic("乙证"))
    );
    // A licence in 《》 within the condition (the note of 商用设备机械销售).
    assert_eq!(
        p("《甲证》（若《营业执照》无经营许可信息，需提供官网查询许可经营范围截图）"),
        added(
            "《营业执照》无经营许可信息",
            doc("官网查询许可经营范围截图")
        )
    );
    // The document is read as an item: alternatives stay alternatives.
    assert_eq!(
        p("《甲证》（如果涉及线上交易，提供《乙证》或《丙证》）"),
        added("涉及线上交易", any(vec![lic("乙证"), lic("丙证")]))
    );
    // 如 is "if" before a comma.
    assert_eq!(
        p("《甲证》（如涉及线上交易，需补充提供《乙证》）"),
        added("涉及线上交易", lic("乙证"))
    );
    // A condition a comma closes may be long; without one, at most 30
    // characters reach the verb (rejected texts name documents without 《》
    // here, as a second 《 would leave the text unparsed anyway).
    let long = "字".repeat(31);
    assert_eq!(
        p(&format!("《甲证》（若{long}，需提供《乙证》）")),
        added(&long, lic("乙证"))
    );
    let inner = format!("（若{long}提供乙证明）");
    assert_eq!(p(&format!("《甲证》{inner}")), kept(&inner));
    // Not additions: 如 without a comma ("for example") and 如需 (an
    // instruction); a comma that closes a condition holding a 提供 of its
    // own, followed by no demand; a demand of something not a document; a
    // condition with a colon; no document at all.
    for inner in [
        "（如app内提供该类目的服务内容截图）",
        "（如涉及线上交易提交乙证明）",
        "（如需申请，需提供申请邮件至客服邮箱）",
        "（若涉及提供【企业征信业务】服务，需补充【金融业-企业征信】类目）",
        "（若涉及为香港用户提供公证服务，需选择【商业服务-公证】类目）",
        "（若有疑问，需提供联系方式）",
        "（涉及以下情形：提交乙证明）",
        "（涉及线上交易提交）",
    ] {
        assert_eq!(p(&format!("《甲证》{inner}")), kept(inner), "{inner}");
    }
}

#[test]
fn a_trailing_explanation_is_a_note() {
    // 金融业 › 保险 (raw/special-materials-2017.md)
    let read = Grammar::new()
        .parse(
            "《保险兼业代理许可证》或《经营保险代理业务许可证》（说明：四选一，如果选第一个，需要同时提供两个资质）",
            None,
        )
        .unwrap();
    assert_eq!(
        read.requirement,
        any(vec![
            lic("保险兼业代理许可证"),
            lic("经营保险代理业务许可证")
        ])
    );
    assert_eq!(
        read.notes,
        ["说明：四选一，如果选第一个，需要同时提供两个资质"]
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
    assert_eq!(r, pick_one(2, vec![lic("甲证"), lic_q("乙证", "（含丙）")]));
    let r = parse("1、《甲证》\n2、《乙证》", None).unwrap();
    assert_eq!(r, all(vec![lic("甲证"), lic("乙证")]));
}

#[test]
fn what_the_grammar_cannot_place_is_kept() {
    let r = p("《甲》《乙》");
    assert_eq!(
        r,
        Requirement::Unparsed {
            text: "《甲》《乙》".into()
        }
    );
    assert_eq!(r.unparsed(), ["《甲》《乙》"]);
}

fn leaf(label: &str, text: &str) -> RequirementNode {
    RequirementNode::new(label, text, &format!("{label}{text}"))
}

fn branch(
    label: &str,
    text: &str,
    group: Option<Group>,
    children: Vec<RequirementNode>,
) -> RequirementNode {
    let mut node = leaf(label, text);
    node.group = group;
    node.children = children.into();
    node
}

/// A tree node as a test states it: the root of a block, usually.
#[derive(Default)]
struct Node {
    line: &'static str,
    group: Option<Group>,
    children: Vec<RequirementNode>,
    notes: Vec<&'static str>,
}

impl Node {
    fn build(self) -> RequirementNode {
        let mut node = RequirementNode::new("", "", self.line);
        node.group = self.group;
        node.children = self.children.into();
        node.set_notes(self.notes.into_iter().map(Into::into).collect::<Box<[_]>>());
        node
    }
}

fn stated(n: u32) -> Option<Group> {
    Some(Group::AnyOf {
        choose: Some(Choice::one_of(n)),
    })
}

#[test]
fn notice_trees_convert_with_conditions_and_groups() {
    let tree = Node {
        group: stated(2),
        children: vec![
            branch(
                "1、",
                "金融资产管理公司提供",
                stated(2),
                vec![
                    leaf("①", "《金融许可证》"),
                    leaf("②", "地方资产管理公司文件"),
                ],
            ),
            branch(
                "2、",
                "合作平台",
                Some(Group::AllOf),
                vec![leaf("①", "《合作协议》")],
            ),
            leaf("3、", "卫健委批文或医管局批文"),
        ],
        ..Default::default()
    }
    .build();
    assert_eq!(
        from_tree(&tree).unwrap(),
        pick_one(
            2,
            vec![
                when(
                    "金融资产管理公司",
                    pick_one(2, vec![lic("金融许可证"), doc("地方资产管理公司文件")])
                ),
                when("合作平台", lic("合作协议")),
                any(vec![doc("卫健委批文"), doc("医管局批文")]),
            ]
        )
    );
}

#[test]
fn a_branch_that_names_documents_is_their_title_not_their_condition() {
    // 交通服务 › 国际客运 (raw/notice-2025q1.txt:310): the line names what
    // its list holds; a line that states who or when is a condition.
    let tree = |text: &str| {
        Node {
            group: Some(Group::AllOf),
            children: vec![
                leaf("1、", "与有资质主体公司的合作协议"),
                branch(
                    "2、",
                    text,
                    stated(2),
                    vec![leaf("①", "《甲证》"), leaf("②", "《乙证》")],
                ),
            ],
            ..Default::default()
        }
        .build()
    };
    let pair = pick_one(2, vec![lic("甲证"), lic("乙证")]);
    let read = from_tree(&tree("该资质主体公司的经营许可证件:")).unwrap();
    let Requirement::AllOf { of } = &read else {
        panic!("{read:?}")
    };
    assert_eq!(
        of[1],
        Requirement::Titled {
            title: "该资质主体公司的经营许可证件".into(),
            then: Box::new(pair.clone()),
        }
    );
    assert_eq!(read.licences(), ["甲证", "乙证"].map(String::from).into());
    assert_eq!(
        of[1].render(),
        "该资质主体公司的经营许可证件（《甲证》 或 《乙证》）"
    );
    // Documents named by a word of their kind: 证明, 材料, 文件, 协议.
    for text in [
        "合作方的资质证明",
        "以上主体的相关材料：",
        "主管部门文件",
        "合作协议",
    ] {
        let read = from_tree(&tree(text)).unwrap();
        assert!(
            matches!(&read, Requirement::AllOf { of } if matches!(of[1], Requirement::Titled { .. })),
            "{text}: {read:?}"
        );
    }
    // Who or when: a condition, as before — also one that ends in a
    // document it says the applicant holds.
    for (text, condition) in [
        ("自营型提供", "自营型"),
        ("二手车经销需:", "二手车经销"),
        ("已取得《食品经营许可证》", "已取得《食品经营许可证》"),
        ("具备相关资质", "具备相关资质"),
        ("持有营业执照", "持有营业执照"),
        ("提供服务需事先取得许可", "提供服务需事先取得许可"),
    ] {
        let read = from_tree(&tree(text)).unwrap();
        let Requirement::AllOf { of } = &read else {
            panic!("{read:?}")
        };
        assert_eq!(of[1], when(condition, pair.clone()), "{text}");
    }
    // A line that only introduces a list is neither.
    let read = from_tree(&tree("申请邮件必须附上以下资料")).unwrap();
    assert_eq!(read, all(vec![doc("与有资质主体公司的合作协议"), pair]));
}

#[test]
fn unstated_branches_by_condition_are_alternatives_in_source_order() {
    // 深度合成 › AI问答 (raw/notice-2025q1.txt): 一、自研 二、第三方, no marker.
    let tree = Node {
        children: vec![
            branch(
                "一、",
                "使用自研技术",
                Some(Group::AllOf),
                vec![leaf("", "小程序主体的《互联网信息服务算法备案》")],
            ),
            branch(
                "二、",
                "使用第三方技术",
                stated(2),
                vec![
                    leaf("1、", "《甲》"),
                    leaf("2、", "深度合成服务《在用证明》"),
                ],
            ),
        ],
        ..Default::default()
    }
    .build();
    let r = from_tree(&tree).unwrap();
    assert_eq!(
        r,
        any(vec![
            when(
                "使用自研技术",
                lic_b("小程序主体的", "互联网信息服务算法备案", "")
            ),
            when(
                "使用第三方技术",
                pick_one(2, vec![lic("甲"), lic_b("深度合成服务", "在用证明", "")])
            ),
        ])
    );
    assert!(r.render().starts_with("(使用自研技术："), "{}", r.render());
    assert!(!r.render().contains(" 和 "), "{}", r.render());
}

#[test]
fn notes_of_a_block_are_read_with_it() {
    // 商家自营 › 商用设备机械销售 (raw/notice-2025q1.txt)
    let note = "若《营业执照》无经营许可信息,需同时补充提供官网查询许可经营范围截图";
    let tree = Node {
        children: vec![leaf(
            "",
            "《营业执照》(经营范围需含“机械设备销售”等相关内容)",
        )],
        notes: vec![note],
        ..Default::default()
    }
    .build();
    let parsed = Grammar::new().read_tree(&tree).unwrap();
    assert_eq!(parsed.notes, [note]);
    // The note also asks for a document when the licence lacks the details.
    assert_eq!(
        parsed.requirement,
        all(vec![
            lic_q("营业执照", "(经营范围需含“机械设备销售”等相关内容)"),
            when(
                "《营业执照》无经营许可信息",
                doc("官网查询许可经营范围截图")
            ),
        ])
    );
    // Nested notes come in the order of the rendered block.
    let nested = Node {
        children: vec![branch(
            "一、",
            "甲",
            Some(Group::AllOf),
            vec![leaf("1、", "《乙》")],
        )],
        notes: vec!["外"],
        ..Default::default()
    }
    .build();
    let mut inner = nested.clone();
    inner.children[0].set_notes(vec!["内".into()]);
    assert_eq!(notes(&inner), ["内", "外"]);
    // A note repeated under two branches (国际客运) is one note.
    inner.children[0].set_notes(vec!["内".into(), "外".into()]);
    assert_eq!(notes(&inner), ["内", "外"]);
}

#[test]
fn a_note_that_asks_for_a_document_under_a_condition_requires_it_there() {
    // The notes of raw/notice-2025q1.txt, as the notice parser gives them.
    let read = |note: &str| {
        let tree = Node {
            children: vec![branch(
                "一、",
                "自营型",
                stated(2),
                vec![leaf("1、", "《甲证》"), leaf("2、", "《乙证》")],
            )],
            ..Default::default()
        }
        .build();
        let mut tree = tree;
        tree.children[0].set_notes(vec![note.into()]);
        let parsed = Grammar::new().read_tree(&tree).unwrap();
        assert_eq!(parsed.notes, [note], "every note stays a note");
        parsed.requirement
    };
    let pair = pick_one(2, vec![lic("甲证"), lic("乙证")]);
    // 国际客运 (line 304): inside the branch the note is written under.
    assert_eq!(
        read("若同时涉及客运/客船服务,需同时提供对应资质。"),
        when(
            "自营型",
            all(vec![
                pair.clone(),
                when("同时涉及客运/客船服务", doc("对应资质"))
            ])
        )
    );
    assert_eq!(
        read("如涉及线上交易，需补充提供《增值电信业务经营许可证》"),
        when(
            "自营型",
            all(vec![
                pair.clone(),
                when("涉及线上交易", lic("增值电信业务经营许可证"))
            ])
        )
    );
    // Numbered as the notes of a list are.
    assert_eq!(
        read("①若涉及线上交易,需同时提供《增值电信业务经营许可证》"),
        when(
            "自营型",
            all(vec![
                pair.clone(),
                when("涉及线上交易", lic("增值电信业务经营许可证"))
            ])
        )
    );
    // The forms of the parentheticals are read in a note too: without 需,
    // and the bare verb without a comma.
    assert_eq!(
        read("若涉及线上交易,提供《增值电信业务经营许可证》"),
        when(
            "自营型",
            all(vec![
                pair.clone(),
                when("涉及线上交易", lic("增值电信业务经营许可证"))
            ])
        )
    );
    assert_eq!(
        read("1.涉及线上交易需提交《增值电信业务经营许可证》。"),
        when(
            "自营型",
            all(vec![
                pair.clone(),
                when("涉及线上交易", lic("增值电信业务经营许可证"))
            ])
        )
    );
    // Another category, a fact, a pointer to an example, an instruction:
    // notes only.
    for note in [
        "若涉及提供【企业征信业务】服务,需补充【金融业-企业征信】类目。",
        "该类目不支持在线销售处方药。",
        "点击可查看资质示例",
        "若涉及为中国香港地区用户提供公证服务,需选择【商业服务-公证(非中国大陆地区)】类目。",
        "如需申请,需提供申请邮件至客服邮箱。",
        "如有疑问,需提供联系方式请联系客服",
        // The comma closes the condition, 提供 and all: the 提供 within it
        // asks for nothing, though a licence follows it.
        "若涉及提供《营业执照》代办服务,需补充【商业服务-代办】类目。",
    ] {
        assert_eq!(read(note), when("自营型", pair.clone()), "{note}");
    }
}

#[test]
fn warnings_of_a_tree_name_the_line_of_the_rendered_block() {
    let tree = Node {
        group: stated(2),
        line: "(2选1):",
        children: vec![leaf("1、", "《甲》"), leaf("2、", "《乙证）")],
        ..Default::default()
    }
    .build();
    let parsed = Grammar::new().read_tree(&tree).unwrap();
    assert_eq!(tree.render().lines().nth(2), Some("  2、《乙证）"));
    assert_eq!(parsed.warnings.len(), 1);
    assert_eq!(parsed.warnings[0].line, 2);
}

#[test]
fn a_stated_choice_reaches_the_canonical_tree() {
    let id = |s: &str| s.to_string();
    // `(2选1)` and `或` agree: both pick one of two.
    let stated = parse("1.《甲》\n2.《乙》", Some(2)).unwrap().canonical(&id);
    let written = p("《乙》或《甲》").canonical(&id);
    assert_eq!(stated, written);
    assert_eq!(stated, pick_one(2, vec![lic("乙"), lic("甲")]));
    // A choice that is not "one of the listed" is kept and rendered.
    let two_of_three = Requirement::AnyOf {
        choose: Some(Choice { pick: 2, of: 3 }),
        of: vec![lic("甲"), lic("乙"), lic("丙")],
    };
    assert_eq!(
        two_of_three.canonical(&id).render(),
        "3选2: 《丙》 或 《乙》 或 《甲》"
    );
    // Flattening nested alternatives recounts.
    let nested = any(vec![any(vec![lic("A"), lic("B")]), lic("C")]);
    assert_eq!(
        nested.canonical(&id),
        pick_one(3, vec![lic("A"), lic("B"), lic("C")])
    );
    // For display, a stated `(2选1)` whose first item is `A或B` keeps the
    // two items it states (上门医疗, raw/notice-2025q1.txt:88); an unstated
    // `或` around a `或` is one set either way.
    let stated_pair = pick_one(2, vec![any(vec![lic("A"), lic("B")]), lic("C")]);
    assert_eq!(
        stated_pair.canonical_in_source_order(&id),
        pick_one(2, vec![pick_one(2, vec![lic("A"), lic("B")]), lic("C")])
    );
    assert_eq!(
        stated_pair.canonical(&id),
        pick_one(3, vec![lic("A"), lic("B"), lic("C")])
    );
    assert_eq!(
        nested.canonical_in_source_order(&id),
        pick_one(3, vec![lic("A"), lic("B"), lic("C")])
    );
    // Serialised unambiguously.
    let json = format!("{:?}", Choice::one_of(3));
    assert_eq!(json, "Choice { pick: 1, of: 3 }");
}

#[test]
fn source_order_is_kept_for_display() {
    let id = |s: &str| s.to_string();
    let r = p("自研：《乙》第三方：《甲》");
    assert_eq!(
        r.canonical_in_source_order(&id).render(),
        "(自研：《乙》) 或 (第三方：《甲》)"
    );
    assert_eq!(
        r.canonical(&id),
        p("第三方：《甲》自研：《乙》").canonical(&id)
    );
}

#[test]
fn fidelity_sees_documents_hidden_in_qualifiers() {
    let grammar = Grammar::new();
    let faithful = |text: &str, r: &Requirement| Fidelity::renders_back(text, r, &grammar);
    let text =
        "签订协议的合作医院列表、与其中一家医院签订的协议样本、该协议医院的《医疗机构执业许可证》";
    assert!(faithful(text, &p(text)));
    // The old reading: the sample hidden in the licence's qualifier.
    let old = all(vec![
        doc("签订协议的合作医院列表"),
        lic_q(
            "医疗机构执业许可证",
            "与其中一家医院签订的协议样本、该协议医院的",
        ),
    ]);
    assert!(!faithful(text, &old));
    // A licence lost, or text left unplaced, is unfaithful too.
    assert!(!faithful("《甲》和《乙》", &lic("甲")));
    assert!(!faithful("《甲》《乙》", &p("《甲》《乙》")));
    // Two documents glued into one do not read back as one.
    assert!(!faithful("A证或B证", &doc("A证或B证")));
    // 电话卡销售, the old reading: the end of one document glued to the
    // next licence's qualifier across `；和`.
    let text = "运营商合作协议，并加盖公司公章或合同专用章；和省级运营商授权认证的《网络销售与实名制授权书》";
    assert!(faithful(text, &p(text)));
    let old = any(vec![
        doc("运营商合作协议，并加盖公司公章"),
        lic_q(
            "网络销售与实名制授权书",
            "合同专用章；和省级运营商授权认证的",
        ),
    ]);
    assert!(!faithful(text, &old));
    let mut tally = Fidelity::default();
    tally.count(text, &p(text), &grammar);
    tally.count("《甲》《乙》", &p("《甲》《乙》"), &grammar);
    assert_eq!(
        tally,
        Fidelity {
            read: 2,
            parsed: 1,
            faithful: 1
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

/// A trailing `，并…` / `，且…` clause that speaks of the documents
/// generically, after the last of a group of alternatives, holds whichever
/// alternative is given: each reads as if the clause followed it alone.
#[test]
fn a_trailing_generic_clause_qualifies_every_alternative() {
    let g = Grammar::new();
    let read = |t: &str| g.parse(t, None).unwrap().requirement;
    // 金融业 › 网络借贷信息中介（P2P） (raw/service-categories.md:110)
    let clause = "，并文件内容明确为“网络借贷信息中介机构”";
    assert_eq!(
        read(&format!(
            "银监会备案证明材料或者省（自治区、直辖市或深圳市等）金融办批准文件{clause}"
        )),
        Requirement::AnyOf {
            choose: None,
            of: vec![
                doc(&format!("银监会备案证明材料{clause}")),
                doc(&format!(
                    "省（自治区、直辖市或深圳市等）金融办批准文件{clause}"
                )),
            ],
        }
    );
    for (group, clause) in [
        ("《甲证》或《乙证》", "，且其经营范围包含“X”"),
        ("《甲证》/《乙证》或丙证明", "，并均需在有效期内"),
        ("《甲证》或《乙证》", "，并上述材料须加盖公章"),
        ("《甲证》或《乙证》", "并且须证件齐全"),
    ] {
        let alternatives: Vec<&str> = group.split(['或', '/']).collect();
        let each: Vec<Requirement> = alternatives
            .iter()
            .map(|a| read(&format!("{a}{clause}")))
            .collect();
        assert_eq!(
            read(&format!("{group}{clause}")),
            Requirement::AnyOf {
                choose: None,
                of: each
            },
            "{group}{clause}"
        );
    }
    // An alternative's condition stays its condition; the clause qualifies
    // the document it selects.
    let when = |condition: &str, then: Requirement| Requirement::When {
        condition: condition.into(),
        then: Box::new(then),
    };
    assert_eq!(
        read("《甲证》（适用于a）或《乙证》（适用于b），并文件须为原件"),
        Requirement::AnyOf {
            choose: None,
            of: vec![
                when("适用于a", lic_q("甲证", "并文件须为原件")),
                when("适用于b", lic_q("乙证", "并文件须为原件")),
            ],
        }
    );
    // The clause is written before a trailing （均…）.
    assert_eq!(
        read("《甲证》或《乙证》，并其内容含X（均需盖章）"),
        Requirement::AnyOf {
            choose: None,
            of: vec![
                lic_q("甲证", "并其内容含X（需盖章）"),
                lic_q("乙证", "并其内容含X（需盖章）"),
            ],
        }
    );
}

/// What is no qualifier of the group: a clause that asks for one more
/// document, one that speaks of something other than the documents, one
/// inside an alternative, one a `；` ends, and one after a single document.
#[test]
fn a_clause_that_names_a_document_or_is_not_last_qualifies_only_its_own() {
    let g = Grammar::new();
    let read = |t: &str| g.parse(t, None).unwrap().requirement;
    let first = |r: Requirement| match r {
        Requirement::AnyOf { of, .. } => of[0].clone(),
        other => panic!("{other:?}"),
    };
    for text in [
        // One more document, named or asked for: an addition, not a qualifier.
        "《甲证》或《乙证》，并提供《丙证》",
        "《甲证》或《乙证》，并提供授权书",
        "《甲证》或《乙证》，并文件需提交原件及复印件",
        // Not the documents: the last one's scope, as `《A》且范围包含…` is.
        "《甲证》或《乙证》，且经营范围包含“X”",
        // Inside the last alternative's list: `；` ends the clause there.
        "《甲证》或《乙证》，并文件盖章；丙证明",
    ] {
        assert_eq!(first(read(text)), lic("甲证"), "{text}");
    }
    // A clause before the last alternative is its own alternative's.
    assert_eq!(
        read("《甲证》，并其内容含X或《乙证》"),
        Requirement::AnyOf {
            choose: None,
            of: vec![lic_q("甲证", "并其内容含X"), lic("乙证")],
        }
    );
    // A licence the grammar knows, written bare in the clause, is named.
    let known = Grammar::with_known_licences(["营业执照"]);
    let Requirement::AnyOf { of, .. } = known
        .parse("《甲证》或《乙证》，并其营业执照须在有效期内", None)
        .unwrap()
        .requirement
    else {
        panic!()
    };
    assert_eq!(of[0], lic("甲证"));
    // One document: its own clause, as before.
    assert_eq!(
        read("《道路运输经营许可证》，且其中须有“驾驶员培训”项目"),
        lic_q("道路运输经营许可证", "且其中须有“驾驶员培训”项目")
    );
}

/// Texts nested far deeper than any document, one per shape the grammar
/// recurses on, with the text at their heart.
mod nesting {
    use super::*;
    use crate::grammar::MAX_DEPTH;

    const DEEP: usize = 10_000;

    /// Runs `f` on a thread with a small stack (as `cargo test` builds,
    /// unoptimised): a reading that recursed once per level of its input
    /// would overflow it long before 10,000 levels.
    fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(f)
            .unwrap()
            .join()
            .unwrap()
    }

    fn depth(r: &Requirement) -> usize {
        1 + r.children().iter().map(depth).max().unwrap_or(0)
    }

    /// `(shape, text, what its innermost level says)`.
    fn deep_texts() -> Vec<(&'static str, String, &'static str)> {
        let nested = |open: &str, heart: &str, close: &str| {
            format!("{}{heart}{}", open.repeat(DEEP), close.repeat(DEEP))
        };
        vec![
            (
                "conditional parentheticals",
                format!("《甲证》{}", nested("（涉及a提交乙证", "", "）")),
                "（涉及a提交乙证）",
            ),
            (
                "（或…） lists",
                nested("甲证（或", "乙证", "）"),
                "（或乙证）",
            ),
            ("书名号", nested("《", "甲", "》"), "《甲》"),
            ("parentheses", nested("（", "甲证", "）"), "（甲证）"),
            (
                "（或…） after （或…）",
                format!("甲证{}", "（或乙证）".repeat(DEEP)),
                "甲证（或乙证）",
            ),
            (
                "（涉及…提交…） after （涉及…提交…）",
                format!("《甲》{}", "（涉及a提交乙证）".repeat(DEEP)),
                "《甲》（涉及a提交乙证）",
            ),
            (
                "distributive qualifiers",
                format!("《甲》或《乙》{}", "（均含x）".repeat(DEEP)),
                "（均含x）",
            ),
            ("conditions", "条件：《甲》".repeat(DEEP), "条件：《甲》"),
            (
                "alternatives and all-of",
                format!("{}《丙》", "《甲》或《乙》和".repeat(DEEP)),
                "《甲》或《乙》和",
            ),
        ]
    }

    /// Every walk of the value: what the normaliser and the writers do.
    fn walk_everything(r: &Requirement) {
        let _ = r.render();
        let _ = r.licences();
        let _ = r.unparsed();
        let _ = format!("{r:?}");
        let canonical = r.canonical(&|name| name.to_string());
        let _ = canonical.render();
        let json = serde_json::to_string(&canonical).unwrap();
        let back: Requirement = serde_json::from_str(&json).unwrap();
        assert_eq!(back, canonical);
        assert_eq!(r.clone(), *r);
    }

    #[test]
    fn a_text_nested_thousands_deep_is_read_on_a_small_stack() {
        for (shape, text, heart) in deep_texts() {
            let (requirement, warnings) = on_small_stack({
                let text = text.clone();
                move || {
                    let parsed = Grammar::new().parse(&text, None).unwrap();
                    walk_everything(&parsed.requirement);
                    (parsed.requirement, parsed.warnings)
                }
            });
            assert!(depth(&requirement) <= MAX_DEPTH + 4, "{shape}");
            assert!(text.contains(heart), "{shape}");
            // Nested shapes stop at the limit, the rest kept as written.
            let cut = warnings.iter().any(|w| w.message.contains("levels deep"));
            if cut {
                assert_eq!(warnings.len(), 1, "{shape}: {warnings:?}");
                assert_eq!(warnings[0].line, 0, "{shape}");
                let unparsed = requirement.unparsed();
                assert!(
                    unparsed
                        .iter()
                        .any(|u| u.contains(heart) && text.contains(u.as_str())),
                    "{shape}: the innermost text is kept"
                );
            }
            on_small_stack(move || drop(requirement));
        }
    }

    #[test]
    fn the_shapes_that_nest_are_cut_with_a_warning() {
        for (shape, text, _) in deep_texts() {
            let parsed = on_small_stack(move || Grammar::new().parse(&text, None).unwrap());
            let nests = !matches!(
                shape,
                "书名号"
                    | "parentheses"
                    | "distributive qualifiers"
                    | "conditions"
                    | "alternatives and all-of"
            );
            assert_eq!(
                parsed
                    .warnings
                    .iter()
                    .any(|w| w.message.contains("levels deep")),
                nests,
                "{shape}: {:?}",
                parsed.warnings
            );
            // Text in 《》 inside 《》, or wholly in parentheses, is no
            // document at any depth.
            let odd = matches!(shape, "书名号" | "parentheses");
            assert_eq!(parsed.requirement.has_unparsed(), nests || odd, "{shape}");
        }
    }

    #[test]
    fn a_deep_remainder_is_unparsed_and_the_levels_above_it_are_read() {
        let text = format!("甲证{}{}", "（或乙证".repeat(100), "）".repeat(100));
        let parsed = Grammar::new().parse(&text, None).unwrap();
        assert_eq!(parsed.warnings.len(), 1);
        assert_eq!(
            parsed.warnings[0].message,
            format!(
                "nested more than {MAX_DEPTH} levels deep: the text from there on is kept as written, unparsed"
            )
        );
        // One level of alternatives per `（或…）` down to the limit; below
        // it, the text as written.
        let mut level = &parsed.requirement;
        let mut read = 0;
        while let Requirement::AnyOf { of, .. } = level {
            let first = if read == 0 { "甲证" } else { "乙证" };
            if read < MAX_DEPTH {
                assert_eq!(of[0], doc(first));
            } else {
                assert_eq!(of[0], unparsed(first));
            }
            level = &of[1];
            read += 1;
        }
        assert_eq!(read, MAX_DEPTH + 1);
        let rest = 100 - read;
        assert_eq!(
            *level,
            unparsed(&format!(
                "乙证{}{}",
                "（或乙证".repeat(rest),
                "）".repeat(rest)
            ))
        );
    }

    #[test]
    fn texts_nested_as_documents_nest_are_read_whole() {
        // Sixteen conditional parentheticals and thirty-two （或…） lists,
        // far more than any document writes, are within the limit.
        for text in [
            format!(
                "《甲证》{}{}",
                "（涉及a提交乙证".repeat(16),
                "）".repeat(16)
            ),
            format!(
                "甲证{}乙证{}",
                "（或乙证".repeat(MAX_DEPTH - 1),
                "）".repeat(MAX_DEPTH - 1)
            ),
        ] {
            let parsed = Grammar::new().parse(&text, None).unwrap();
            assert!(parsed.warnings.is_empty(), "{text}: {:?}", parsed.warnings);
            assert!(!parsed.requirement.has_unparsed(), "{text}");
        }
    }

    /// A notice block `DEEP` conditions deep, each with a note, around one
    /// licence.
    fn deep_tree() -> RequirementNode {
        let mut node = RequirementNode::new("1、", "《甲》", "1、《甲》");
        node.set_notes(vec!["若x,需提供《乙》".into()]);
        for _ in 0..DEEP {
            let mut parent = RequirementNode::new("1、", "条件", "1、条件");
            parent.group = Some(Group::AllOf);
            parent.children = vec![node].into();
            parent.set_notes(vec!["注".into()]);
            node = parent;
        }
        node
    }

    /// Drops a deep tree one level at a time: its derived `Drop` recurses.
    fn dismantle(mut node: RequirementNode) {
        while let Some(child) = std::mem::take(&mut node.children).into_vec().pop() {
            node = child;
        }
    }

    #[test]
    fn a_notice_tree_nested_thousands_deep_is_read_on_a_small_stack() {
        let (requirement, warnings, notes, tree) = on_small_stack(|| {
            let tree = deep_tree();
            let parsed = Grammar::new().read_tree(&tree).unwrap();
            walk_everything(&parsed.requirement);
            (parsed.requirement, parsed.warnings, parsed.notes, tree)
        });
        assert!(depth(&requirement) <= MAX_DEPTH + 4);
        // The notes once each, the innermost first.
        assert_eq!(notes, ["若x,需提供《乙》", "注"]);
        // One warning, at the line of the first node too deep to read.
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let unparsed = requirement.unparsed();
        assert_eq!(unparsed.len(), 1);
        let lines: Vec<&str> = unparsed[0].lines().collect();
        // Kept as written: each node's line, then the notes, innermost first.
        let nodes = lines.len() / 2;
        // The lines above it are the nodes read, one per three levels of
        // the tree built (condition, notes, group).
        assert_eq!(warnings[0].line, DEEP + 1 - nodes);
        assert_eq!(warnings[0].line, MAX_DEPTH / 3 + 1);
        assert_eq!(lines[nodes - 1], "1、《甲》");
        assert_eq!(lines[nodes], "注:若x,需提供《乙》");
        assert!(lines[..nodes - 1].iter().all(|l| *l == "1、条件"));
        assert!(lines[nodes + 1..].iter().all(|l| *l == "注:注"));
        on_small_stack(move || {
            drop(requirement);
            dismantle(tree);
        });
    }
}
