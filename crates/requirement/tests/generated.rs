//! Random requirement trees written in the styles of the documents, read
//! back.
//!
//! Each generator builds the text and the tree it means together, from the
//! vocabulary of the real documents: licences in 《》 (or bare, for a grammar
//! that knows their names) with the qualifiers the documents write before
//! (`…的`) and after (`（…）`, `且…`) them, documents
//! without 《》, the all-of and any-of connectives, conditions by applicant
//! type, trailing `（适用于…）`, distributive `（均需…）`. The styles are the
//! category table cell (one flat text), the card (numbered lines, with or
//! without `N选1`) and the notice block (nested numbered lines with group
//! markers and notes, read by `leimu-notice`). The property: reading the
//! text gives exactly the tree.

use leimu_model::Choice;
use leimu_requirement::{Grammar, Requirement};

const LICENCES: &[&str] = &[
    "营业执照",
    "食品经营许可证",
    "网络文化经营许可证",
    "网络销售与实名制授权书",
    "药品、医疗器械互联网信息服务备案凭证",
    "出版物经营许可证",
    "医疗机构执业许可证",
    "合作协议",
    "互联网信息服务算法备案",
    "增值电信业务经营许可证",
];
const DOCUMENTS: &[&str] = &[
    "政府交通管理部门备案证明",
    "卫健委(卫生健康委员会)批文",
    "省金融办批准文件",
    "小程序申请者的承诺书",
    "与其中一家医院签订的协议样本",
    "人民政府设立或授权的资产管理公司文件",
    "省级农业农村主管部门公布的检测机构/实验室名单",
    "当地网约车资质(原件及中/英文翻译件)",
];
const PREFIXES: &[&str] = &[
    "合作医院的",
    "区、县级教育部门颁发的",
    "省级出版行政主管部门合法的",
    "经所在地的中国人民银行及其派出机构备案的",
];
const SUFFIXES: &[&str] = &[
    "（经营范围含网络表演）",
    "(范围含“国际客运”相关内容)",
    "（含双方盖章）",
];
/// A clause after the name; the grammar ends it only before a licence.
const CLAUSE: &str = "且业务范围必须包含“基金”";
const CONDITIONS: &[&str] = &[
    "批发",
    "零售",
    "自研",
    "第三方",
    "政府/事业单位",
    "经营快递业务的企业",
    "汽车经销商/4s店",
];
/// Lines that name the documents listed under them (国际客运's
/// `该资质主体公司的经营国际客运许可证件(④选①):`): titles, not conditions.
const TITLES: &[&str] = &[
    "该资质主体公司的经营国际客运许可证件",
    "合作方的资质证明",
    "以上主体的相关材料",
];
const ALL_OF: &[&str] = &["和", "与", "及", "、", "以及", "+"];
const ANY_OF: &[&str] = &["或", "或者"];

/// A text and the tree it means.
struct Written {
    text: String,
    tree: Requirement,
}

struct Gen {
    rng: fastrand::Rng,
    /// The last licence written ends in a clause: what follows must be a
    /// licence (or nothing), as in the documents.
    open_clause: bool,
}

impl Gen {
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.rng.usize(..from.len())]
    }

    fn licence(&mut self, clause_allowed: bool) -> Written {
        let name = self.pick(LICENCES);
        let (before, after) = match self.rng.u8(0..5) {
            0 => (self.pick(PREFIXES), ""),
            1 => ("", self.pick(SUFFIXES)),
            2 if clause_allowed => ("", CLAUSE),
            _ => ("", ""),
        };
        self.open_clause = after == CLAUSE;
        // A known name may be written bare, as a whole document: nothing but
        // a `…的` before it, and no connective inside it.
        let bare = self.rng.u8(0..4) == 0
            && (before.is_empty() || before.ends_with('的'))
            && !name.contains(['与', '、', '和', '及', '或']);
        let written = if bare {
            name.to_string()
        } else {
            format!("《{name}》")
        };
        Written {
            text: format!("{before}{written}{after}"),
            tree: Requirement::Licence {
                name: name.to_string(),
                qualifier: format!("{before}{after}"),
                before: before.to_string(),
                bare,
            },
        }
    }

    fn atom(&mut self, clause_allowed: bool) -> Written {
        if self.open_clause || self.rng.u8(0..3) > 0 {
            return self.licence(clause_allowed);
        }
        let text = self.pick(DOCUMENTS).to_string();
        Written {
            tree: Requirement::Document { text: text.clone() },
            text,
        }
    }

    fn all_of(&mut self, clause_allowed: bool) -> Written {
        let n = self.rng.usize(1..=3);
        let atoms: Vec<Written> = (0..n).map(|_| self.atom(clause_allowed)).collect();
        let joiner = self.pick(ALL_OF);
        group(atoms, joiner, |of| Requirement::AllOf { of })
    }

    /// An alternative; sometimes with a trailing `（适用于…）`.
    fn option(&mut self, clause_allowed: bool) -> Written {
        let body = self.all_of(clause_allowed);
        if self.rng.u8(0..5) > 0 {
            return body;
        }
        self.open_clause = false;
        let condition = format!("适用于{}", self.pick(CONDITIONS));
        Written {
            text: format!("{}（{condition}）", body.text),
            tree: Requirement::When {
                condition,
                then: Box::new(body.tree),
            },
        }
    }

    fn alternatives(&mut self, clause_allowed: bool) -> Written {
        let n = self.rng.usize(1..=3);
        let mut options: Vec<Written> = (0..n).map(|_| self.option(clause_allowed)).collect();
        // `X的《A》或《B》`: B written bare in 《》 is X's too.
        if let Some(Requirement::Licence { before: owner, .. }) = options.first().map(|o| &o.tree) {
            let owner = owner.clone();
            for option in options.iter_mut().skip(1) {
                if let Requirement::Licence {
                    qualifier, before, ..
                } = &mut option.tree
                {
                    if owner.ends_with('的') && before.is_empty() && option.text.starts_with('《')
                    {
                        *qualifier = format!("{owner}{qualifier}");
                        before.clone_from(&owner);
                    }
                }
            }
        }
        let joiner = self.pick(ANY_OF);
        let written = group(options, joiner, |of| Requirement::AnyOf {
            choose: None,
            of,
        });
        if self.rng.u8(0..6) > 0 {
            return written;
        }
        // `（均需…）` after the group qualifies each of its items.
        self.open_clause = false;
        let each = "需经公证机构公证";
        Written {
            text: format!("{}（均{each}）", written.text),
            tree: distribute(written.tree, &format!("（{each}）")),
        }
    }

    /// One flat text: alternatives, or branches by condition.
    fn flat(&mut self) -> Written {
        if self.rng.u8(0..3) > 0 {
            return self.alternatives(true);
        }
        let n = self.rng.usize(2..=3);
        let mut conditions: Vec<&str> = Vec::new();
        while conditions.len() < n {
            let c = self.pick(CONDITIONS);
            if !conditions.contains(&c) {
                conditions.push(c);
            }
        }
        let branches: Vec<Written> = conditions
            .into_iter()
            .map(|condition| {
                let marker = match self.rng.u8(0..3) {
                    0 => "：",
                    1 => "，提供",
                    _ => "需提交",
                };
                // A clause would run into the next condition.
                let body = self.alternatives(false);
                Written {
                    text: format!("{condition}{marker}{}", body.text),
                    tree: Requirement::When {
                        condition: condition.to_string(),
                        then: Box::new(body.tree),
                    },
                }
            })
            .collect();
        group(branches, "", |of| Requirement::AnyOf { choose: None, of })
    }
}

/// Joins written parts; one part stands alone.
fn group(
    mut parts: Vec<Written>,
    joiner: &str,
    make: impl Fn(Vec<Requirement>) -> Requirement,
) -> Written {
    if parts.len() == 1 {
        return parts.remove(0);
    }
    let text = parts
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join(joiner);
    Written {
        text,
        tree: make(parts.into_iter().map(|p| p.tree).collect()),
    }
}

fn distribute(r: Requirement, qualifier: &str) -> Requirement {
    match r {
        Requirement::AnyOf { choose, of } => Requirement::AnyOf {
            choose,
            of: of.into_iter().map(|m| distribute(m, qualifier)).collect(),
        },
        Requirement::AllOf { of } => Requirement::AllOf {
            of: of.into_iter().map(|m| distribute(m, qualifier)).collect(),
        },
        Requirement::Licence {
            name,
            qualifier: own,
            before,
            bare,
        } => Requirement::Licence {
            name,
            qualifier: own + qualifier,
            before,
            bare,
        },
        Requirement::Document { text } => Requirement::Document {
            text: text + qualifier,
        },
        Requirement::When { condition, then } => Requirement::When {
            condition,
            then: Box::new(distribute(*then, qualifier)),
        },
        Requirement::Titled { title, then } => Requirement::Titled {
            title,
            then: Box::new(distribute(*then, qualifier)),
        },
        other => other,
    }
}

/// The first place where `read` and `meant` differ, for a readable failure.
fn difference(read: &Requirement, meant: &Requirement) -> String {
    use Requirement::*;
    match (read, meant) {
        (AllOf { of: a }, AllOf { of: b }) | (AnyOf { of: a, .. }, AnyOf { of: b, .. })
            if a.len() == b.len() =>
        {
            a.iter().zip(b).find(|(x, y)| x != y).map_or_else(
                || format!("{read:?}\n vs {meant:?}"),
                |(x, y)| difference(x, y),
            )
        }
        (When { then: a, .. }, When { then: b, .. })
        | (Titled { then: a, .. }, Titled { then: b, .. })
            if read.render() != meant.render() =>
        {
            difference(a, b)
        }
        _ => format!("read  {}\nmeant {}", read.render(), meant.render()),
    }
}

fn generator(seed: u64) -> Gen {
    Gen {
        rng: fastrand::Rng::with_seed(seed),
        open_clause: false,
    }
}

const CASES: u64 = 600;

#[test]
fn flat_texts_read_back_as_their_tree() {
    let grammar = Grammar::with_known_licences(LICENCES.iter().copied());
    for seed in 0..CASES {
        let mut g = generator(seed);
        let written = g.flat();
        let read = grammar.parse(&written.text, None).expect("a text");
        assert!(
            read.requirement == written.tree,
            "seed {seed}: {}\n{}",
            written.text,
            difference(&read.requirement, &written.tree)
        );
        assert!(read.warnings.is_empty());
    }
}

#[test]
fn numbered_cards_read_back_as_their_tree() {
    let grammar = Grammar::with_known_licences(LICENCES.iter().copied());
    for seed in 0..CASES {
        let mut g = generator(seed);
        let n = g.rng.usize(2..=4);
        let items: Vec<Written> = (0..n)
            .map(|_| {
                g.open_clause = false;
                g.flat()
            })
            .collect();
        let stated = g.rng.bool();
        let text = items
            .iter()
            .enumerate()
            .map(|(i, item)| format!("{}{} {}", i + 1, if stated { "." } else { "、" }, item.text))
            .collect::<Vec<_>>()
            .join("\n");
        let of: Vec<Requirement> = items.into_iter().map(|i| i.tree).collect();
        let expected = if stated {
            Requirement::AnyOf {
                choose: Some(Choice::one_of(n as u32)),
                of,
            }
        } else if of.iter().all(|r| matches!(r, Requirement::When { .. })) {
            Requirement::AnyOf { choose: None, of }
        } else {
            Requirement::AllOf { of }
        };
        let choose = stated.then(|| Choice::one_of(n as u32));
        let read = grammar.parse(&text, choose).expect("a text");
        assert!(
            read.requirement == expected,
            "seed {seed}:\n{text}\n{}",
            difference(&read.requirement, &expected)
        );
    }
}

/// A notice block: its lines, the tree they mean, and their notes.
struct Block {
    lines: Vec<String>,
    tree: Requirement,
    notes: Vec<String>,
}

const LABELS: [fn(usize) -> String; 3] = [
    |i| ["一、", "二、", "三、", "四、"][i % 4].to_string(),
    |i| format!("{}、", i + 1),
    |i| ['①', '②', '③', '④'][i % 4].to_string(),
];

impl Gen {
    /// The children of a group at `rank` (0: 一、, 1: 1、, 2: ①), written
    /// after their parent's line with `indent`.
    fn children(&mut self, rank: usize, indent: usize, block: &mut Block) -> Vec<Requirement> {
        let n = self.rng.usize(2..=3);
        (0..n).map(|i| self.node(rank, i, indent, block)).collect()
    }

    fn node(&mut self, rank: usize, index: usize, indent: usize, block: &mut Block) -> Requirement {
        let label = LABELS[rank](index);
        let pad = "  ".repeat(indent);
        if rank + 1 >= LABELS.len() || self.rng.u8(0..3) > 0 {
            self.open_clause = false;
            let leaf = self.flat();
            block.lines.push(format!("{pad}{label}{}", leaf.text));
            return leaf.tree;
        }
        let titled = self.rng.u8(0..4) == 0;
        let condition = self.pick(if titled { TITLES } else { CONDITIONS });
        let stated = self.rng.bool();
        let marker = if stated {
            "(2选1):".to_string()
        } else {
            ",同时提供:".to_string()
        };
        block.lines.push(format!("{pad}{label}{condition}{marker}"));
        let of = self.children(rank + 1, indent + 1, block);
        if self.rng.u8(0..4) == 0 {
            let note = format!("点击可查看{condition}的资质示例");
            block.lines.push(format!("{pad}  注:{note}"));
            // A note repeated under another branch is read once.
            if !block.notes.contains(&note) {
                block.notes.push(note);
            }
        }
        let inner = if stated {
            Requirement::AnyOf {
                choose: Some(Choice::one_of(2)),
                of,
            }
        } else {
            Requirement::AllOf { of }
        };
        if titled {
            Requirement::Titled {
                title: condition.to_string(),
                then: Box::new(inner),
            }
        } else {
            Requirement::When {
                condition: condition.to_string(),
                then: Box::new(inner),
            }
        }
    }

    fn block(&mut self) -> Block {
        let mut block = Block {
            lines: Vec::new(),
            tree: Requirement::AllOf { of: Vec::new() },
            notes: Vec::new(),
        };
        block.tree = match self.rng.u8(0..3) {
            // `(3选1):` then 1、 items.
            0 => {
                block.lines.push("(3选1):".into());
                let of = self.children(1, 1, &mut block);
                let of_n = of.len() as u32;
                block.lines[0] = format!("({of_n}选1):");
                Requirement::AnyOf {
                    choose: Some(Choice::one_of(of_n)),
                    of,
                }
            }
            // `同时提供:` then 1、 items.
            1 => {
                block.lines.push("同时提供:".into());
                Requirement::AllOf {
                    of: self.children(1, 1, &mut block),
                }
            }
            // 一、 二、 branches by condition, no marker: alternatives.
            _ => {
                let n = self.rng.usize(2..=3);
                let mut of = Vec::new();
                for (i, condition) in ["使用自研技术", "使用第三方技术", "票务代理"]
                    .into_iter()
                    .take(n)
                    .enumerate()
                {
                    block
                        .lines
                        .push(format!("{}{condition},同时提供:", LABELS[0](i)));
                    let children = self.children(1, 1, &mut block);
                    of.push(Requirement::When {
                        condition: condition.to_string(),
                        then: Box::new(Requirement::AllOf { of: children }),
                    });
                }
                Requirement::AnyOf { choose: None, of }
            }
        };
        block
    }
}

#[test]
fn notice_blocks_read_back_as_their_tree() {
    let grammar = Grammar::with_known_licences(LICENCES.iter().copied());
    let mut titled = 0;
    for seed in 0..CASES {
        let mut g = generator(seed);
        let block = g.block();
        titled += block
            .lines
            .iter()
            .filter(|l| TITLES.iter().any(|t| l.contains(t)))
            .count();
        let lines: Vec<&str> = block.lines.iter().map(String::as_str).collect();
        let tree = leimu_notice::tree::requirement_tree(&lines)
            .expect("a tree")
            .tree;
        let read = grammar.read_tree(&tree).expect("a requirement");
        let text = block.lines.join("\n");
        assert!(
            read.requirement == block.tree,
            "seed {seed}:\n{text}\n{}",
            difference(&read.requirement, &block.tree)
        );
        assert_eq!(read.notes, block.notes, "seed {seed}:\n{text}");
    }
    assert!(titled > 50, "only {titled} titled lines");
}

/// The generators must produce the shapes they claim, or the test proves
/// little.
#[test]
fn generators_cover_every_shape() {
    let mut seen = std::collections::BTreeSet::new();
    for seed in 0..CASES {
        let mut g = generator(seed);
        let text = g.flat().text;
        for (shape, marker) in [
            ("clause", "且"),
            ("applies", "（适用于"),
            ("distributive", "（均"),
            ("condition", "提交"),
            ("prefix", "的《"),
            ("any-of", "或"),
            ("document", "证明"),
            ("bare", "营业执照"),
        ] {
            if text.contains(marker) {
                seen.insert(shape);
            }
        }
    }
    assert_eq!(seen.len(), 8, "{seen:?}");
}
