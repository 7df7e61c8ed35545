// The report's views, rendered from the JSON block #data. State lives in the
// URL fragment (#q=直播&subject=enterprise) so a link restores a search.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("data").textContent);
  const SUBJECTS = { enterprise: "非个人主体", personal: "个人主体", overseas: "海外主体" };
  const FIELDS = ["q", "subject", "level1", "status", "decided", "conflict"];
  const sourceById = new Map(data.sources.map((s) => [s.id, s]));
  const keyOf = (c) => c.subject + ":" + c.path.join("/");
  const byKey = new Map(data.categories.map((c) => [keyOf(c), c]));
  const byId = new Map(data.categories.map((c) => [c.id, c]));
  const historyKey = (h) => h.subject + ":" + [h.level1, h.level2, h.level3].filter(Boolean).join("/");
  const historyOf = new Map();
  for (const h of data.history) {
    const c = byKey.get(historyKey(h)) || data.categories.find((x) => x.id === h.category_id);
    if (!c) continue;
    if (!historyOf.has(c.id)) historyOf.set(c.id, []);
    historyOf.get(c.id).push(h);
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = v; else node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children.flat(Infinity)) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }
  // A name as the search compares it: compatibility width, no spaces, lower case, one separator.
  const fold = (s) => (s || "").normalize("NFKC").replace(/\s+/g, "").toLowerCase().replace(/[›>／]/g, "/");
  const location = (source, line) => "raw/" + ((sourceById.get(source) || {}).file || source) + ":" + line;
  const pathText = (c) => c.path.join(" › ");
  const status = (c) => c.status || "listed";
  const hashFor = (state) => "#" + Object.entries(state).filter(([, v]) => v).map(([k, v]) => k + "=" + encodeURIComponent(v)).join("&");

  function readState() {
    const params = new URLSearchParams(window.location.hash.slice(1));
    const state = {};
    for (const f of FIELDS) state[f] = params.get(f) || "";
    return state;
  }

  // 0: a level is the text; 1: a level contains it; 2: another field contains it.
  function rank(c, q) {
    if (!q) return 0;
    const levels = c.path.map(fold);
    if (q.includes("/")) {
      const path = levels.join("/");
      return path === q.replace(/^\/|\/$/g, "") ? 0 : path.includes(q) ? 1 : -1;
    }
    if (levels.includes(q)) return 0;
    if (levels.some((l) => l.includes(q))) return 1;
    const text = [c.requirement, c.notes, c.scope, c.licences.map((l) => l[0]).join(" ")].map(fold).join("\n");
    return text.includes(q) ? 2 : -1;
  }

  function matches(state) {
    const q = fold(state.q);
    return data.categories
      .filter((c) => !state.subject || c.subject === state.subject)
      .filter((c) => !state.level1 || c.path[0] === state.level1)
      .filter((c) => !state.status || status(c) === state.status)
      .filter((c) => !state.decided || (c.decided_by || "") === state.decided)
      .filter((c) => !state.conflict || (c.conflicts || []).length > 0)
      .map((c) => [rank(c, q), c])
      .filter(([r]) => r >= 0)
      .sort((a, b) => a[0] - b[0])
      .map(([r, c]) => ({ rank: r, category: c }));
  }

  function treeNode(t) {
    switch (t.kind) {
      case "all-of": return el("li", {}, el("span", { class: "op", text: "all of 全部" }), el("ul", {}, t.of.map(treeNode)));
      case "any-of": {
        const pick = typeof t.choose === "number" ? t.choose : (t.choose && t.choose.pick) || 1;
        return el("li", {}, el("span", { class: "op", text: "one of 任选 (" + pick + " of " + t.of.length + ")" }), el("ul", {}, t.of.map(treeNode)));
      }
      case "when": return el("li", {}, el("span", { class: "cond", text: "if 如 " + t.condition }), el("ul", {}, treeNode(t.then)));
      case "titled": return el("li", {}, el("span", { class: "op", text: t.title }), el("ul", {}, treeNode(t.then)));
      case "licence": {
        // The words before the name go before it, as the source writes them.
        const q = t.qualifier || "", before = t.before && q.startsWith(t.before) ? t.before : "";
        return el("li", { text: before + "《" + t.name + "》" + q.slice(before.length) });
      }
      case "document": return el("li", { text: t.text });
      case "unparsed": return el("li", { class: "unparsed", text: "(not understood) " + t.text });
      case "none": return el("li", { text: "no document required 无需资质" });
      case "unstated": return el("li", { text: "none stated 未说明" });
      default: return el("li", { class: "op", text: t.kind || "?" });
    }
  }

  function licenceChip(l) {
    const [name, role, group, condition] = l;
    const title = role + (group ? " " + group : "") + (condition ? ", if " + condition : "");
    return el("span", { class: "lic " + role, title }, "《" + name + "》" + (role === "required" ? "" : role === "one-of" ? "¹" : "?"));
  }

  function categoryBody(c) {
    const rows = [
      ["id", c.id],
      ["status 状态", status(c) + (c.beta ? " (internal beta 内测)" : "")],
      ["succeeded by 后继类目", (c.succeeded_by || []).length ? el("ul", {}, c.succeeded_by.map((id) => el("li", {}, byId.has(id) ? categoryLink(keyOf(byId.get(id))) : id))) : null],
      ["requirement 资质要求", c.tree ? el("ul", { class: "tree" }, treeNode(c.tree)) : c.requirement || "none stated 无"],
      ["licences 资质", c.licences.length ? el("table", {}, el("tr", {}, el("th", { text: "licence" }), el("th", { text: "role" })),
        c.licences.map((l) => el("tr", {}, el("td", { text: "《" + l[0] + "》" }),
          el("td", { text: l[1] + (l[2] ? " (" + l[2] + ")" : "") + (l[3] ? ", if " + l[3] : "") })))) : "—"],
      ["scope 适用范围", c.scope],
      ["notes 备注", c.notes],
      ["decided by 决定来源", c.decided_by ? c.decided_by + (c.authority ? " [" + c.authority + "]" : "") : "no source states a requirement"],
      ["sources 来源", el("table", {}, el("tr", {}, el("th", { text: "where" }), el("th", { text: "as of" }), el("th", { text: "as written" })),
        c.records.map(([source, line, asOf, text]) => el("tr", {}, el("td", { text: location(source, line) + (source === c.decided_by ? " ✓" : "") }),
          el("td", { class: "date", text: asOf }), el("td", { class: "text", text: text || "—" }))))],
      ["changes 变更", historyOf.has(c.id)
        ? el("table", {}, historyOf.get(c.id).map((h) => el("tr", {}, el("td", { class: "date", text: h.as_of }),
          el("td", {}, el("a", { href: "#changes-" + h.source, text: h.source })), el("td", { text: h.change }),
          el("td", { text: (h.licences_added ? "+ " + h.licences_added : "") + (h.licences_removed ? " − " + h.licences_removed : "") }))))
        : c.decided_by ? el("a", { href: "#changes-" + c.decided_by, text: "what " + c.decided_by + " decided ↓" }) : null],
      ["conflicts 冲突", (c.conflicts || []).length ? (c.conflicts || []).map((i) => el("a", { href: "#conflict-" + i, text: data.conflicts[i].kinds.join(", ") + " ↓" })) : null],
    ];
    return el("div", { class: "body" }, el("dl", {}, rows.filter(([, v]) => v).map(([k, v]) => [el("dt", { text: k }), el("dd", {}, v)])));
  }

  function categoryRow(c, open) {
    const details = el("details", { class: "cat", "data-id": c.id, "data-subject": c.subject, open },
      el("summary", {},
        el("span", { class: "path", text: pathText(c) }),
        el("span", { class: "subject", text: c.subject + " " + (SUBJECTS[c.subject] || "") }),
        el("span", { class: "lics" }, c.licences.map(licenceChip)),
        el("span", { class: "by" }, c.decided_by || "—",
          c.beta ? el("span", { class: "badge beta", text: "beta" }) : null,
          (c.conflicts || []).length ? el("a", { class: "badge", href: "#conflict-" + c.conflicts[0], title: "sources disagree", text: "⚠ conflict" }) : null)));
    let filled = false;
    const fill = () => { if (!filled) { details.append(categoryBody(c)); filled = true; } };
    if (open) fill();
    details.addEventListener("toggle", fill);
    details.fill = fill;
    return details;
  }

  function options(select, label, values) {
    select.replaceChildren(el("option", { value: "", text: label }), ...values.map(([v, t]) => el("option", { value: v, text: t })));
  }

  function renderCategories() {
    const state = readState();
    for (const f of FIELDS) {
      const input = document.getElementById(f);
      if (input.type === "checkbox") input.checked = !!state[f]; else if (input.value !== state[f]) input.value = state[f];
    }
    const found = matches(state);
    document.getElementById("count").textContent = found.length + " of " + data.categories.length + " categories 个类目";
    const exactOnly = found.filter((m) => m.rank === 0).length === 1 && state.q;
    document.getElementById("results").replaceChildren(...found.map((m, i) => categoryRow(m.category, exactOnly && i === 0)));
  }

  function setState() {
    const state = {};
    for (const f of FIELDS) {
      const input = document.getElementById(f);
      state[f] = input.type === "checkbox" ? (input.checked ? "1" : "") : input.value;
    }
    history.replaceState(null, "", hashFor(state));
    renderCategories();
  }

  function renderLicences() {
    const byLicence = new Map();
    for (const c of data.categories) for (const l of c.licences) {
      if (!byLicence.has(l[0])) byLicence.set(l[0], []);
      byLicence.get(l[0]).push([c, l]);
    }
    const q = fold(document.getElementById("lq").value);
    const names = [...byLicence.keys()].filter((n) => fold(n).includes(q)).sort((a, b) => byLicence.get(b).length - byLicence.get(a).length || a.localeCompare(b, "zh"));
    document.getElementById("licence-list").replaceChildren(...names.map((name) => el("details", { class: "group" },
      el("summary", { text: "《" + name + "》 · " + byLicence.get(name).length }),
      el("table", {}, byLicence.get(name).map(([c, l]) => el("tr", {},
        el("td", {}, el("a", { href: hashFor({ q: c.path.join("/"), subject: c.subject }), text: pathText(c) })),
        el("td", { text: c.subject }),
        el("td", { text: l[1] + (l[2] ? " (" + l[2] + ")" : "") + (l[3] ? ", if " + l[3] : "") })))))));
  }

  function categoryLink(key) {
    const c = byKey.get(key);
    const text = c ? pathText(c) + " · " + c.subject : key;
    return c ? el("a", { href: hashFor({ q: c.path.join("/"), subject: c.subject }), text }) : text;
  }

  function renderChanges() {
    const list = document.getElementById("change-list");
    const newest = [...data.sources].sort((a, b) => b.as_of.localeCompare(a.as_of) || a.id.localeCompare(b.id));
    if (data.history.length) {
      const groups = newest.map((s) => [s, data.history.filter((h) => h.source === s.id)]).filter(([, rows]) => rows.length);
      list.replaceChildren(...groups.map(([s, rows], i) => el("details", { class: "group", id: "changes-" + s.id, open: i === 0 },
        el("summary", { text: s.as_of + " · " + s.title + " (" + s.id + ") · " + rows.length }),
        el("table", {}, el("tr", {}, ["category", "change", "+ licences", "− licences"].map((h) => el("th", { text: h }))),
          rows.map((h) => el("tr", {}, el("td", {}, categoryLink(h.subject + ":" + [h.level1, h.level2, h.level3].filter(Boolean).join("/"))),
            el("td", { text: h.change }), el("td", { text: h.licences_added || "" }), el("td", { text: h.licences_removed || "" })))))));
      return;
    }
    const groups = newest.map((s) => [s, data.categories.filter((c) => c.decided_by === s.id)]).filter(([, rows]) => rows.length);
    list.replaceChildren(el("p", { class: "hint", text: "Per source, newest first: the categories whose requirement it decides (history.csv is not generated yet)." }),
      ...groups.map(([s, rows], i) => el("details", { class: "group", id: "changes-" + s.id, open: i === 0 },
        el("summary", { text: s.as_of + " · " + s.title + " (" + s.id + ") · " + rows.length }),
        el("table", {}, rows.map((c) => el("tr", {}, el("td", {}, categoryLink(c.subject + ":" + c.path.join("/"))), el("td", { class: "text", text: c.requirement })))))));
  }

  function renderConflicts() {
    document.getElementById("conflict-list").replaceChildren(...data.conflicts.map((x, i) => el("article", { class: "conflict", id: "conflict-" + i },
      el("h3", {}, categoryLink(x.category), " ", el("small", { text: x.kinds.join(", ") })),
      el("table", {}, el("tr", {}, ["where", "decides", "differs", "as written"].map((h) => el("th", { text: h }))),
        x.sides.map(([source, line, decides, differs, text]) => el("tr", {}, el("td", { text: location(source, line) }),
          el("td", { text: decides ? "✓" : "" }), el("td", { text: differs || "" }), el("td", { class: "text", text: text || "—" })))),
      el("p", { class: "hint", text: x.resolution }))));
  }

  function init() {
    const subjects = [...new Set(data.categories.map((c) => c.subject))];
    options(document.getElementById("subject"), "all subjects 全部主体", subjects.map((s) => [s, s + " " + (SUBJECTS[s] || "")]));
    options(document.getElementById("level1"), "all level 1 全部一级类目", [...new Set(data.categories.map((c) => c.path[0]))].sort().map((l) => [l, l]));
    options(document.getElementById("status"), "any status 全部状态", [...new Set(data.categories.map(status))].sort().map((s) => [s, s]));
    options(document.getElementById("decided"), "decided by any source", [...new Set(data.categories.map((c) => c.decided_by || ""))].filter(Boolean).sort().map((s) => [s, s]));
    const licenceCount = new Set(data.categories.flatMap((c) => c.licences.map((l) => l[0]))).size;
    document.getElementById("summary").textContent = data.categories.length + " categories · " + licenceCount + " licences · " +
      data.conflicts.length + " conflicts · sources: " + data.sources.map((s) => s.id + " (" + s.as_of + ")").join(", ");
    for (const f of FIELDS) document.getElementById(f).addEventListener(f === "q" ? "input" : "change", setState);
    document.getElementById("lq").addEventListener("input", renderLicences);
    // Anchors inside the page (#conflict-3, #changes-notice-2025q1) are not a search.
    window.addEventListener("hashchange", () => {
      const hash = window.location.hash;
      if (hash.startsWith("#changes-")) {
        const group = document.getElementById(decodeURIComponent(hash.slice(1)));
        if (group) group.open = true;
      } else if (!hash.startsWith("#conflict-")) {
        renderCategories();
      }
    });
    window.addEventListener("beforeprint", () => document.querySelectorAll("details").forEach((d) => {
      if (d.fill) d.fill();
      d.open = true;
    }));
    renderCategories();
    renderLicences();
    renderChanges();
    renderConflicts();
    document.body.setAttribute("data-ready", "1");
  }
  init();
})();
