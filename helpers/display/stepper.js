// The stepper's browser renderer (an anywidget ES module): draws the trace that Python sent, at the position.
//
// Everything drawn comes from the traitlet `trace` (helpers/display/trace.py: every stage of every step, numbers
// already formatted by the course's formatter, names already marked up) and the integer traitlet `position`
// (4 · step + stage). Moves (slider, ◀ ▶, play, stage buttons, jumps, ← →) re-render here, without the kernel;
// a change of η, weights, epochs or data is sent to Python as `request`, which trains again and sends a new trace.
// Uses only model.get, model.set, model.save_changes and model.on, so a page without a kernel can mount it on a
// stored trace. Nothing is fetched.

const STAGE_NAMES = ["forward", "loss", "derivatives", "update"];

function h(tag, attrs = {}, html) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    e.setAttribute(k, v === true ? "" : String(v));
  }
  if (html !== undefined) e.innerHTML = html;
  return e;
}

const paren = (s) => (s.startsWith("-") ? `(${s})` : s); // a formatted number inside a product: 3·(-2)
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const asButton = (e, label) => {
  e.setAttribute("tabindex", "0");
  e.setAttribute("role", "button");
  e.setAttribute("aria-label", label);
};

function css(c) {
  return `
.bp-stepper{font:13.5px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:${c.TEXT1};max-width:1180px}
.bp-stepper .bp-row{display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin:3px 0}
.bp-stepper button,.bp-stepper input,.bp-stepper select{font:inherit;color:${c.TEXT0};background:${c.PANEL2};
 border:1px solid ${c.BORDER};border-radius:3px;padding:2px 8px}
.bp-stepper input[type=range]{width:340px;padding:0;accent-color:${c.POS}}
.bp-stepper input.bp-num{width:80px}
.bp-stepper button[aria-pressed=true]{background:${c.POS};color:${c.PAGE};border-color:${c.POS}}
.bp-stepper :focus-visible{outline:2px solid ${c.POS};outline-offset:1px}
.bp-stepper svg :focus-visible{outline:none}
.bp-stepper .bp-node:focus-visible circle,.bp-stepper .bp-node:focus-visible rect{stroke:${c.POS} !important;stroke-width:4 !important}
.bp-stepper .bp-edge:focus-visible line{stroke:${c.HI} !important}
.bp-stepper .bp-bias:focus-visible{text-decoration:underline;fill:${c.TEXT0} !important}
.bp-stepper .bp-edge.bp-off{opacity:.3}.bp-stepper .bp-edge:not(.bp-off){opacity:1}
.bp-stepper .bp-node.bp-off circle,.bp-stepper .bp-node.bp-off rect{stroke:${c.DIM} !important;stroke-width:1.5 !important}
.bp-stepper .bp-node.bp-on circle,.bp-stepper .bp-node.bp-on rect{stroke:${c.HI} !important;stroke-width:3 !important}
.bp-stepper .bp-node.bp-off text,.bp-stepper .bp-label.bp-off{fill:${c.TEXT2} !important}
.bp-stepper .bp-node.bp-on .bp-loss-value{fill:${c.TEXT0} !important}
.bp-stepper .bp-pos{min-width:380px}
.bp-stepper .bp-main{display:flex;gap:10px;align-items:flex-start}
.bp-stepper .bp-left{flex:0 0 505px}.bp-stepper .bp-right{flex:1 1 520px;min-width:420px}
.bp-stepper .bp-eqs{border:1px solid ${c.GRID};padding:4px 10px;max-height:330px;overflow:auto}
.bp-stepper h4{margin:0 0 4px;font-size:14.5px;color:${c.TEXT0}}
.bp-stepper .bp-note,.bp-stepper .bp-hint{color:${c.TEXT2};font-size:12.5px;margin:2px 0 4px}
.bp-stepper .bp-eq,.bp-stepper .bp-deriv,.bp-stepper .bp-update{margin:1px 0;padding:0 0 0 1.6em;text-indent:-1.6em;cursor:pointer;border-radius:3px}
.bp-stepper .bp-eq:hover,.bp-stepper .bp-deriv:hover,.bp-stepper .bp-update:hover,.bp-stepper .bp-params tr:hover{background:${c.PANEL2}}
.bp-stepper .bp-sel{background:${c.PANEL2};box-shadow:inset 3px 0 ${c.HI}}
.bp-stepper .bp-res{font-weight:600;color:${c.TEXT0}}
.bp-stepper .bp-params{border-collapse:collapse;font-size:13px}
.bp-stepper .bp-params th,.bp-stepper .bp-params td{padding:1px 9px;white-space:nowrap;text-align:right;border-bottom:1px solid ${c.GRID}}
.bp-stepper .bp-params th{color:${c.TEXT2};font-weight:600}
.bp-stepper .bp-params td:first-child,.bp-stepper .bp-params th:first-child{text-align:left}
.bp-stepper .bp-params tr[data-param]{cursor:pointer}
.bp-stepper .bp-up{color:${c.POS}}.bp-stepper .bp-down{color:${c.NEG}}
.bp-stepper .bp-status{padding:3px 8px;border-radius:4px;background:${c.PANEL2};color:${c.TEXT1}}
.bp-stepper .bp-status.bp-bad,.bp-stepper .bp-warn{border-left:4px solid ${c.NEG};color:${c.TEXT0};font-weight:600}
.bp-stepper .bp-error{color:${c.NEG};font-weight:600;font-size:12.5px}
.bp-stepper .bp-explain{border-top:1px solid ${c.GRID};margin-top:4px;padding-top:4px;min-height:3em}
.bp-stepper .bp-explain button.bp-factor{padding:0 4px;margin:0 1px}
.bp-stepper .bp-rule{color:${c.TEXT1};margin-left:1.5em}
.bp-stepper .bp-setup code{display:block;white-space:pre-wrap;word-break:break-all;background:${c.PANEL2};padding:4px 8px;color:${c.TEXT0}}
.bp-stepper .bp-data table{border-collapse:collapse}.bp-stepper .bp-data td,.bp-stepper .bp-data th{padding:1px 4px}
.bp-stepper .bp-data input{width:70px}
.bp-stepper .bp-data input[aria-invalid=true]{border-color:${c.NEG};border-width:2px}
`;
}

function render({ model, el }) {
  const uid = `bp${Math.random().toString(36).slice(2, 9)}`;
  let t = model.get("trace");
  let pos = model.get("position") || 0;
  let selected = null; // the quantity explained: a parameter, a node name, or "L"
  let openFactor = -1;
  let timer = null;
  let requestId = 0;
  const N = () => Math.max(4 * t.n_steps - 1, 0);

  // ---- the frame ----
  const root = h("div", { class: "bp-stepper", tabindex: "0", role: "group",
    "aria-label": "backpropagation stepper: ← and → step through the stages" });
  const style = h("style");
  const prev = h("button", { "aria-label": "previous stage", title: "previous stage (←)" }, "◀ back");
  const play = h("button", { "aria-label": "play", title: "play through the stages" }, "▶ play");
  const slider = h("input", { type: "range", min: "0", step: "1", "aria-label": "position: step and stage" });
  const next = h("button", { "aria-label": "next stage", title: "next stage (→)" }, "next ▶");
  const where = h("span", { class: "bp-pos", "aria-live": "polite" });
  const stageButtons = STAGE_NAMES.map((s, i) => h("button", { "data-stage": s, "aria-pressed": "false" }, ""));
  const epochJump = h("input", { type: "number", class: "bp-num", min: "1", step: "1", "aria-label": "jump to epoch" });
  const rowJump = h("select", { "aria-label": "jump to student" });
  const fields = {};
  const fieldErrors = {};
  for (const [name, label] of [["lr", "η (lr)"], ["weight", "weights"], ["epochs", "epochs"]]) {
    fields[name] = h("input", { type: "text", class: "bp-num", inputmode: "decimal", "data-field": name,
      "aria-label": name === "lr" ? "learning rate η" : name === "weight" ? "initial weights" : "epochs" });
    fieldErrors[name] = h("span", { class: "bp-error", "aria-live": "polite", id: `${uid}-${name}-err` });
    fields[name].setAttribute("aria-describedby", fieldErrors[name].id);
    fields[name]._label = label;
  }
  const copy = h("button", { "aria-label": "copy this set-up as one line of Python" }, "copy this set-up");
  const setupBox = h("div", { class: "bp-setup", hidden: true });
  const status = h("div", { class: "bp-status", role: "status" });
  const warning = h("div", { class: "bp-warn", hidden: true });
  const diagramBox = h("div", { class: "bp-diagram-box" });
  const tableBox = h("div", { class: "bp-table-box" });
  const eqs = h("div", { class: "bp-eqs", tabindex: "0", role: "region", "aria-label": "the stage's equations" });
  const outOfView = h("div", { class: "bp-hint", "aria-live": "polite" });
  const curveBox = h("div", { class: "bp-curve-box" });
  const explain = h("div", { class: "bp-explain", "aria-live": "polite" });
  const data = h("details", { class: "bp-data" });
  const dataError = h("span", { class: "bp-error", "aria-live": "polite" });

  const bar1 = h("div", { class: "bp-row" });
  bar1.append(prev, play, slider, next, where);
  const bar2 = h("div", { class: "bp-row" });
  bar2.append(...stageButtons, h("span", {}, " epoch"), epochJump, h("span", {}, "student"), rowJump);
  const bar3 = h("div", { class: "bp-row" });
  for (const name of ["lr", "weight", "epochs"]) {
    bar3.append(h("span", {}, fields[name]._label), fields[name], fieldErrors[name]);
  }
  bar3.append(copy);
  const left = h("div", { class: "bp-left" });
  left.append(diagramBox, tableBox);
  const right = h("div", { class: "bp-right" });
  right.append(eqs, outOfView, curveBox);
  const main = h("div", { class: "bp-main" });
  main.append(left, right);
  root.append(style, bar1, bar2, bar3, setupBox, status, warning, main, explain, data);
  el.replaceChildren(root);

  // ---- reading the trace ----
  const H = (n) => t.html[n] ?? esc(n);
  const S = (n) => t.svg[n] ?? esc(n);
  const idx = (n) => t.names.indexOf(n);
  const step = () => t.steps[Math.floor(pos / 4) - t.window[0]]; // undefined: beyond the steps held
  const stage = () => pos % 4;
  const value = (s, n) => (idx(n) >= 0 ? s.before[idx(n)] : s.nodes[n]); // a parameter (before) or a node

  // ---- the stages' equations ----
  function forwardLine(s, f) {
    const act = t.activation === "sigmoid" ? "σ" : t.activation === "relu" ? "relu" : "";
    const left = f.output ? `ŷ = ${H(f.node)}` : H(f.node);
    const sumSym = f.terms.map(([w, o]) => `${H(w)}·${H(o)}`).join(" + ") + ` + ${H(f.bias)}`;
    const sumNum = f.terms.map(([w, o]) => `${paren(value(s, w))}·${paren(s.nodes[o])}`).join(" + ")
      + ` + ${paren(value(s, f.bias))}`;
    if (!f.z) {
      return [[f.node, s.nodes[f.node], `${left} = ${sumSym} = ${sumNum} = <span class="bp-res">${s.nodes[f.node]}</span>`]];
    }
    return [[f.z, s.nodes[f.z], `${H(f.z)} = ${sumSym} = ${sumNum} = ${s.nodes[f.z]}`],
      [f.node, s.nodes[f.node], `${left} = ${act}(${H(f.z)}) = ${act}(${s.nodes[f.z]}) = <span class="bp-res">${s.nodes[f.node]}</span>`]];
  }
  function lossLine(s) {
    const yh = s.nodes[t.forward[t.forward.length - 1].node];
    if (t.loss === "bce") {
      return `L = −(y·log ŷ + (1 − y)·log(1 − ŷ)) = −(${s.y}·log ${yh} + ${paren(s.one_minus[0])}·log ${paren(s.one_minus[1])}) = <span class="bp-res">${s.L}</span>`;
    }
    return `L = (y − ŷ)<sup>2</sup> = (${s.y} − ${paren(yh)})<sup>2</sup> = <span class="bp-res">${s.L}</span>`;
  }
  function chainText(s, n) {
    const fs = t.chains[n];
    return `∂L/∂${H(n)} = ${fs.map((f) => f.sym).join(" · ")} = ${s.factors[n].map(paren).join(" · ")}`;
  }
  function line(cls, name, body, label, extra = {}) {
    const e = h("div", { class: cls, "data-name": cls === "bp-eq" ? name : null,
      "data-param": cls === "bp-eq" ? null : name, ...extra }, body);
    asButton(e, label);
    e.dataset.explain = name;
    if (name === selected) e.classList.add("bp-sel");
    return e;
  }
  function drawStage(s, k, st) {
    const frag = document.createDocumentFragment();
    const xs = s.x.map((v, j) => `x<sub>i${j + 1}</sub> = ${v}`).join(", ");
    const box = h("div", { class: "bp-stage", "data-stage": STAGE_NAMES[st], "data-step": k, "data-epoch": s.epoch,
      "data-row": s.row });
    box.append(h("h4", {}, `Epoch ${s.epoch + 1}, student ${s.row + 1} (${xs}, y = ${s.y}) — ${t.stage_titles[st]}`));
    if (st === 0) {
      for (const f of t.forward) {
        for (const [name, v, body] of forwardLine(s, f)) {
          box.append(line("bp-eq", name, body, `explain ${name} = ${v}`, { "data-value": v }));
        }
      }
    } else if (st === 1) {
      box.append(line("bp-eq", "L", lossLine(s), `explain the loss L = ${s.L}`, { "data-value": s.L }));
    } else if (st === 2) {
      const first = s.factors[t.names[0]][0];
      const yh = s.nodes[t.forward[t.forward.length - 1].node];
      const note = t.loss === "bce"
        ? `With BCE at a sigmoid output, ∂L/∂ŷ · ∂ŷ/∂z = (ŷ − y)/(ŷ(1 − ŷ)) · ŷ(1 − ŷ) = ŷ − y = ${yh} − ${paren(s.y)} = ${first}.`
        : `∂L/∂ŷ = −2(y − ŷ) = −2(${s.y} − ${paren(yh)}) = ${first}.`;
      box.append(h("div", { class: "bp-note" }, `${note} All derivatives use the weights before the update. `
        + "Click one (or focus it and press Enter) for its factors."));
      t.names.forEach((n, i) => {
        box.append(line("bp-deriv", n, `${chainText(s, n)} = <span class="bp-res">${s.grad[i]}</span>`,
          `explain ∂L/∂${n} = ${s.grad[i]}`, { "data-value": s.grad[i], "data-product": s.product[n] }));
      });
    } else {
      box.append(h("div", { class: "bp-note" },
        `w<sub>new</sub> = w<sub>old</sub> − η·∂L/∂w<sub>old</sub>, with η = ${t.lr}.`));
      t.names.forEach((n, i) => {
        box.append(line("bp-update", n, `${H(n)} = ${s.before[i]} − ${t.lr}·${paren(s.grad[i])} = <span class="bp-res">${s.after[i]}</span>`,
          `explain the update of ${n} = ${s.after[i]}`, { "data-old": s.before[i], "data-new": s.after[i], "data-value": s.after[i] }));
      });
    }
    if (t.diverged && k === t.n_steps - 1) {
      box.append(h("div", { class: "bp-warn" }, esc(`The next step diverges. ${t.message}`)));
    }
    frag.append(box);
    eqs.replaceChildren(frag);
  }

  // ---- the parameter table ----
  function drawTable(s) {
    const tb = h("table", { class: "bp-params" });
    tb.append(h("tr", {}, "<th>parameter</th><th>before</th><th>∂L/∂w</th><th>after</th><th>change</th>"));
    t.names.forEach((n, i) => {
      const ch = s.change[i];
      const [cls, arrow] = ch === "0" ? ["", "·"] : ch.startsWith("-") ? ["bp-down", "▼"] : ["bp-up", "▲"];
      const tr = h("tr", { "data-param": n, "data-before": s.before[i], "data-grad": s.grad[i], "data-after": s.after[i] },
        `<td>${H(n)}</td><td>${s.before[i]}</td><td>${s.grad[i]}</td><td>${s.after[i]}</td><td class="${cls}">${arrow} ${ch}</td>`);
      asButton(tr, `explain ${n}: before ${s.before[i]}, gradient ${s.grad[i]}, after ${s.after[i]}`);
      tr.dataset.explain = n;
      if (n === selected) tr.classList.add("bp-sel");
      tb.append(tr);
    });
    tableBox.replaceChildren(tb);
  }

  // ---- the diagram: Python's SVG of the first stage, its numbers and highlights patched for each stage ----
  let dia = null;
  function mountDiagram() {
    diagramBox.innerHTML = t.diagram || "";
    const svg = diagramBox.querySelector("svg");
    if (!svg) { dia = null; return; }
    svg.setAttribute("role", "group"); // its parts are buttons now: a group of them, not one image
    for (const b of svg.querySelectorAll("g.bp-node text.bp-bias")) svg.append(b); // no button inside a button
    dia = { svg, parts: [...svg.querySelectorAll("[data-node],[data-param]")] };
    for (const g of svg.querySelectorAll("g.bp-node")) {
      asButton(g, g.dataset.node === "L" ? "explain the loss L" : `explain ${g.dataset.node}`);
      g.dataset.explain = g.dataset.node;
    }
    for (const g of svg.querySelectorAll("g.bp-edge")) {
      asButton(g, `explain weight ${g.dataset.param}`);
      g.dataset.explain = g.dataset.param;
    }
    for (const b of svg.querySelectorAll("text.bp-bias")) {
      asButton(b, `explain bias ${b.dataset.param}`);
      b.dataset.explain = b.dataset.param;
    }
    for (const l of svg.querySelectorAll("text.bp-label")) l.dataset.explain = l.dataset.param;
  }
  function drawDiagram(s, st) {
    if (!dia) return;
    const c = t.colours;
    const weights = t.names.filter((n) => n.startsWith("w")).map((n) => Math.abs(parseFloat(s.before[idx(n)])));
    const wmax = Math.max(1e-12, ...weights.filter(Number.isFinite));
    const lit = new Set(st === 2 && selected && t.lit.paths[selected] ? t.lit.paths[selected] : t.lit[String(st)]);
    for (const e of dia.parts) {
      const name = e.dataset.node || e.dataset.param;
      if (e.classList.contains("bp-label")) {
        const i = idx(name);
        e.innerHTML = st === 2 ? `∂L/∂${S(name)} = ${s.grad[i]}` : st === 3 ? `${s.before[i]} → ${s.after[i]}`
          : `${S(name)} = ${s.before[i]}`;
        e.classList.toggle("bp-off", !lit.has(name));
        continue;
      }
      const on = lit.has(name);
      e.classList.toggle("bp-on", on);
      e.classList.toggle("bp-off", !on);
      if (e.dataset.node) {
        const v = e.dataset.node === "L" ? s.L : s.nodes[name];
        e.dataset.value = v;
        e.querySelector("title").textContent = `${name} = ${v}`;
        if (name === "L") {
          e.querySelector(".bp-loss-value").textContent = `L = ${s.L}`;
          e.querySelector(".bp-loss-y").textContent = `y = ${s.y}`;
        } else {
          const val = e.querySelector(".bp-value");
          if (val) val.textContent = v;
        }
      } else if (e.classList.contains("bp-edge")) {
        const v = s.before[idx(name)];
        const w = parseFloat(v);
        e.dataset.value = v;
        e.querySelector("title").textContent = `${name} = ${v}`;
        const ln = e.querySelector("line");
        ln.style.stroke = w > 0 ? c.POS : w < 0 ? c.NEG : c.DIM;
        ln.setAttribute("stroke-width", (Number.isFinite(w) ? 1 + 5 * Math.min(Math.abs(w) / wmax, 1) : 1).toFixed(2));
      } else if (e.classList.contains("bp-bias")) {
        const v = s.before[idx(name)];
        e.dataset.value = v;
        e.innerHTML = `${S(name)} = ${v}`;
      }
    }
  }

  // ---- the loss curve: drawn once by the course's chart code; the marker and the revealed part move ----
  let curve = null;
  function mountCurve() {
    curveBox.innerHTML = t.curve ? t.curve.svg.replace(/bp-clip-\d+/g, `${uid}-clip`) : "";
    const svg = curveBox.querySelector("svg");
    if (!svg) { curve = null; return; }
    const ns = "http://www.w3.org/2000/svg";
    const rect = svg.querySelector("clipPath rect");
    const marker = document.createElementNS(ns, "circle");
    marker.setAttribute("class", "bp-marker");
    marker.setAttribute("r", "4.5");
    marker.setAttribute("style", `fill:${t.colours.HI};stroke:${t.colours.TEXT0}`);
    const label = document.createElementNS(ns, "text");
    label.setAttribute("font-size", "11.5");
    label.setAttribute("style", `fill:${t.colours.TEXT0};stroke:${t.colours.PAGE}`);
    label.setAttribute("stroke-width", "3");
    label.setAttribute("paint-order", "stroke");
    svg.append(marker, label);
    curve = { svg, rect, marker, label };
  }
  function drawCurve(k, s) {
    if (!curve) return;
    const [x, y] = t.curve.points[k];
    const [cx, cy, cw] = t.curve.clip;
    curve.rect.setAttribute("width", Math.max(0, Math.min(cw, x - cx + 0.5)).toFixed(1));
    curve.marker.setAttribute("cx", x);
    curve.marker.setAttribute("cy", y);
    const leftHalf = x < cx + cw / 2;
    curve.label.setAttribute("x", leftHalf ? x + 8 : x - 8);
    curve.label.setAttribute("y", Math.max(Math.min(y - 8, cy + 150 - 16), 11));
    curve.label.setAttribute("text-anchor", leftHalf ? "start" : "end");
    curve.label.textContent = `step ${k + 1}: L = ${s.L}`;
    curve.svg.dataset.step = k;
    curve.svg.dataset.loss = s.L;
    curve.svg.setAttribute("aria-label", `loss by step, ${t.n_steps} steps; step ${k + 1}: L = ${s.L}`);
  }

  // ---- explanations ----
  function ruleLine(s, n, i) {
    const f = t.chains[n][i];
    const v = s.factors[n][i];
    let arg = "";
    if (f.arg && (idx(f.arg) >= 0 || f.arg in s.nodes)) arg = `, with ${H(f.arg)} = ${value(s, f.arg)}`;
    return `<div class="bp-rule" data-factor="${i}">${f.sym} = ${f.rule} = ${v}${arg}</div>`;
  }
  function drawExplain(s) {
    explain.replaceChildren();
    if (!selected) {
      explain.innerHTML = '<span class="bp-hint">Click any number (a neuron, an edge, a bias, the loss, a table row or a line of the equations), or focus it and press Enter, to see its formula with the numbers plugged in.</span>';
      return;
    }
    const n = selected;
    const i = idx(n);
    if (i >= 0) {
      const fs = t.chains[n];
      const box = h("div", { class: "bp-explainer", "data-param": n, "data-product": s.product[n], "data-grad": s.grad[i] });
      const top = h("div", {}, `∂L/∂${H(n)} = `);
      fs.forEach((f, j) => {
        if (j) top.append(" · ");
        const b = h("button", { class: "bp-factor", "data-factor": j, "data-value": s.factors[n][j],
          "aria-expanded": String(openFactor === j), "aria-label": `factor ${j + 1}: its rule` }, f.sym);
        top.append(b);
      });
      top.insertAdjacentHTML("beforeend", ` = ${s.factors[n].map(paren).join(" · ")} = <b>${s.product[n]}</b>`
        + ` (backpropagation kept ${s.grad[i]})`);
      box.append(top);
      if (openFactor >= 0 && openFactor < fs.length) box.insertAdjacentHTML("beforeend", ruleLine(s, n, openFactor));
      box.insertAdjacentHTML("beforeend", `<div>update: ${H(n)} = ${s.before[i]} − ${t.lr}·${paren(s.grad[i])} = ${s.after[i]}</div>`);
      explain.append(box);
    } else if (n === "L") {
      explain.append(h("div", { class: "bp-explainer", "data-name": "L", "data-value": s.L }, lossLine(s)));
    } else {
      const f = t.forward.find((g) => g.node === n || g.z === n);
      let body;
      if (f) body = forwardLine(s, f).find((l) => l[0] === n)[2];
      else body = `${H(n)} = ${s.nodes[n]}: student ${s.row + 1}'s input, read from the data`;
      explain.append(h("div", { class: "bp-explainer", "data-name": n, "data-value": s.nodes[n] }, body));
    }
  }

  // ---- one move: everything drawn from the trace at pos ----
  function draw() {
    if (!t.n_steps) {
      where.textContent = "no step recorded";
      eqs.replaceChildren(); tableBox.replaceChildren(); explain.replaceChildren();
      return;
    }
    const k = Math.floor(pos / 4);
    const st = stage();
    const s = step();
    slider.value = String(pos);
    if (!s) { // a long run: Python sends the steps near this position (the position was just sent)
      where.textContent = `step ${k + 1} of ${t.n_steps}: loading the steps near it…`;
      return;
    }
    where.textContent = `epoch ${s.epoch + 1}, student ${s.row + 1}, ${STAGE_NAMES[st]} (step ${k + 1} of ${t.n_steps})`;
    stageButtons.forEach((b, i) => b.setAttribute("aria-pressed", String(i === st)));
    if (document.activeElement !== epochJump) epochJump.value = String(s.epoch + 1);
    rowJump.value = String(s.row);
    drawStage(s, k, st);
    drawTable(s);
    drawDiagram(s, st);
    drawCurve(k, s);
    drawExplain(s);
    prev.disabled = pos <= 0;
    next.disabled = pos >= N();
    if (st === 2) requestAnimationFrame(checkOutOfView);
    else outOfView.textContent = "";
  }
  function checkOutOfView() {
    const box = eqs.getBoundingClientRect();
    const hidden = [...eqs.querySelectorAll(".bp-deriv")].filter((d) => {
      const r = d.getBoundingClientRect();
      return r.top < box.top - 1 || r.bottom > box.bottom + 1;
    }).map((d) => d.dataset.param);
    outOfView.textContent = hidden.length ? `Out of view (scroll the panel): ∂L/∂${hidden.join(", ∂L/∂")}` : "";
  }
  eqs.addEventListener("scroll", () => { if (stage() === 2) checkOutOfView(); });

  function go(p) {
    p = Math.min(Math.max(Math.round(p), 0), N());
    if (p === pos) return;
    pos = p;
    openFactor = -1;
    draw();
    model.set("position", pos);
    model.save_changes();
  }
  function jump(epoch, row, st) {
    // the step of (epoch, row): rows come in the order the run visited them
    const per = t.steps_per_epoch;
    const e = Math.min(Math.max(epoch, 0), Math.ceil(t.n_steps / per) - 1);
    for (let k = e * per; k < Math.min((e + 1) * per, t.n_steps); k++) {
      if (t.step_rows[k] === row) return go(4 * k + st);
    }
    go(Math.min(4 * e * per + st, N()));
  }

  // ---- a new trace (a new run): the templates, the jumps, the fields and the data table ----
  function fill() {
    style.textContent = css(t.colours);
    slider.max = String(N());
    epochJump.max = String(Math.max(1, Math.ceil(t.n_steps / t.steps_per_epoch)));
    const rows = t.rows;
    rowJump.replaceChildren(...rows.map((_, i) => h("option", { value: i }, `student ${i + 1}`)));
    stageButtons.forEach((b, i) => { b.textContent = t.stage_titles[i]; });
    status.textContent = t.status;
    status.classList.toggle("bp-bad", t.diverged);
    warning.textContent = t.warning;
    warning.hidden = !t.warning;
    const m = /lr=([^,]+), /.exec(t.setup);
    const w = /weight=([^,]+), /.exec(t.setup);
    const ep = /epochs=(\d+)/.exec(t.setup);
    for (const [name, v] of [["lr", m && m[1]], ["weight", w && w[1]], ["epochs", ep && ep[1]]]) {
      if (document.activeElement !== fields[name] && v) fields[name].value = v;
      fields[name].disabled = name === "weight" && (!w || w[1] === "None"); // random or given weights: fixed
    }
    fillData();
    mountDiagram();
    mountCurve();
    if (setupBox.hidden === false) showSetup();
  }
  function showErrors() {
    for (const name of Object.keys(fields)) { fieldErrors[name].textContent = ""; fields[name].removeAttribute("aria-invalid"); }
    dataError.textContent = "";
    for (const c of data.querySelectorAll("input")) c.removeAttribute("aria-invalid");
    const err = t.error;
    if (!err || err.id !== requestId) return;
    if (err.field === "data") {
      dataError.textContent = `⚠ ${err.message}; the stepper keeps the last good data.`;
      if (err.cell) {
        const cell = data.querySelector(`input[data-r="${err.cell[0]}"][data-c="${err.cell[1]}"]`);
        if (cell) { cell.setAttribute("aria-invalid", "true"); cell.setAttribute("aria-describedby", `${uid}-data-err`); }
      }
    } else if (fields[err.field]) {
      fieldErrors[err.field].textContent = `⚠ ${err.message}; the stepper keeps the last good run.`;
      fields[err.field].setAttribute("aria-invalid", "true");
    }
  }
  let editRows = null;
  function fillData() {
    if (editRows && t.error && t.error.id === requestId) return; // keep the learner's cells and show the message
    editRows = t.rows.map((r) => r.slice());
    drawData();
  }
  function drawData() {
    const open = data.open;
    data.replaceChildren();
    data.open = open;
    data.append(h("summary", {}, `the data: ${editRows.length} rows (edit a cell, add or remove a row; at most ${t.max_rows})`));
    const tb = h("table");
    tb.append(h("tr", {}, `<th>row</th>${t.columns.map((c) => `<th>${H(c)}</th>`).join("")}<th></th>`));
    editRows.forEach((r, i) => {
      const tr = h("tr");
      tr.append(h("td", {}, `student ${i + 1}`));
      r.forEach((v, j) => {
        const td = h("td");
        const inp = h("input", { type: "text", value: v, "data-r": i, "data-c": j, inputmode: "decimal",
          "aria-label": `row ${i + 1}, ${t.columns[j]}` });
        inp.addEventListener("change", () => { if (inp.value !== editRows[i][j]) { editRows[i][j] = inp.value; request(); } });
        inp.addEventListener("keydown", (ev) => {
          if (ev.key === "Enter" && inp.value !== editRows[i][j]) { editRows[i][j] = inp.value; request(); }
        });
        td.append(inp);
        tr.append(td);
      });
      const td = h("td");
      const rm = h("button", { "aria-label": `remove row ${i + 1}`, disabled: editRows.length <= 1 }, "remove");
      rm.addEventListener("click", () => { editRows.splice(i, 1); drawData(); request(); });
      td.append(rm);
      tr.append(td);
      tb.append(tr);
    });
    const add = h("button", { "aria-label": "add a row", disabled: editRows.length >= t.max_rows }, "add a row");
    add.addEventListener("click", () => { editRows.push(editRows[editRows.length - 1].slice()); drawData(); request(); });
    dataError.id = `${uid}-data-err`;
    data.append(tb, add, " ", dataError);
  }
  let lastSent = null;
  function request() {
    requestId += 1;
    lastSent = JSON.stringify([fields.lr.value, fields.weight.value, fields.epochs.value]);
    model.set("request", { id: requestId, lr: fields.lr.value, weight: fields.weight.value,
      epochs: fields.epochs.value, rows: editRows, position: pos });
    model.save_changes();
  }
  function showSetup() {
    const text = `${t.setup}, step=${Math.floor(pos / 4) + 1}, stage="${STAGE_NAMES[pos % 4]}")`;
    setupBox.replaceChildren(h("div", { class: "bp-hint" }, "This line rebuilds exactly what is on screen:"),
      h("code", { tabindex: "0", "aria-label": "the set-up as Python" }, esc(text)));
    setupBox.hidden = false;
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).catch(() => {});
  }

  // ---- events ----
  prev.addEventListener("click", () => go(pos - 1));
  next.addEventListener("click", () => go(pos + 1));
  slider.addEventListener("input", () => go(Number(slider.value)));
  stageButtons.forEach((b, i) => b.addEventListener("click", () => go(4 * Math.floor(pos / 4) + i)));
  const epochOf = () => Math.floor(Math.floor(pos / 4) / t.steps_per_epoch);
  const rowOf = () => t.step_rows[Math.floor(pos / 4)];
  const jumpEpoch = () => {
    const e = parseInt(epochJump.value, 10);
    if (Number.isFinite(e) && e - 1 !== epochOf()) jump(e - 1, rowOf(), stage());
  };
  epochJump.addEventListener("change", jumpEpoch);
  epochJump.addEventListener("keydown", (ev) => { if (ev.key === "Enter") jumpEpoch(); });
  rowJump.addEventListener("change", () => jump(epochOf(), Number(rowJump.value), stage()));
  const stop = () => { clearInterval(timer); timer = null; play.textContent = "▶ play"; play.setAttribute("aria-label", "play"); };
  play.addEventListener("click", () => {
    if (timer) return stop();
    if (pos >= N()) go(0);
    play.textContent = "❚❚ pause";
    play.setAttribute("aria-label", "pause");
    timer = setInterval(() => (pos >= N() ? stop() : go(pos + 1)), 900);
  });
  const commit = () => { // Enter or leaving a box: train again if a setting changed since the last request
    const now = JSON.stringify([fields.lr.value, fields.weight.value, fields.epochs.value]);
    if (now !== lastSent) request();
  };
  for (const name of Object.keys(fields)) {
    fields[name].addEventListener("change", commit);
    fields[name].addEventListener("keydown", (ev) => { if (ev.key === "Enter") commit(); });
  }
  copy.addEventListener("click", () => (setupBox.hidden ? showSetup() : (setupBox.hidden = true)));
  function pick(target) {
    const q = target.closest("[data-explain]");
    if (!q || !root.contains(q)) return false;
    const name = q.dataset.explain;
    if (selected !== name) openFactor = -1;
    selected = name;
    draw();
    return true;
  }
  root.addEventListener("click", (ev) => {
    const f = ev.target.closest("button.bp-factor");
    if (f) {
      const j = Number(f.dataset.factor);
      openFactor = openFactor === j ? -1 : j;
      draw();
      explain.querySelector(`button.bp-factor[data-factor="${j}"]`)?.focus();
      return;
    }
    pick(ev.target);
  });
  root.addEventListener("keydown", (ev) => {
    const tag = ev.target.tagName;
    const typing = tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA";
    if ((ev.key === "ArrowRight" || ev.key === "ArrowLeft") && !typing) {
      go(pos + (ev.key === "ArrowRight" ? 1 : -1));
      ev.preventDefault();
      ev.stopPropagation(); // JupyterLab's own arrow-key shortcuts stay out of the stepper
    } else if ((ev.key === "Enter" || ev.key === " ") && ev.target.getAttribute("role") === "button") {
      const name = ev.target.dataset.explain;
      if (pick(ev.target)) {
        ev.preventDefault();
        // the drawn element was replaced: focus its successor so the keyboard stays in place
        const again = root.querySelector(`${ev.target.tagName.toLowerCase()}[data-explain="${CSS.escape(name)}"]`);
        again?.focus();
      }
    } else if (typing && ev.key.startsWith("Arrow") && tag === "INPUT" && ev.target.type === "range") {
      ev.stopPropagation();
    }
  });

  model.on("change:trace", () => {
    t = model.get("trace");
    if (t.error) { showErrors(); return; } // the run is unchanged: Python kept the last good one
    // a new run: Python clamped the position to it
    fill();
    pos = Math.min(model.get("position") || 0, N());
    if (selected && t.names.indexOf(selected) < 0 && !(t.steps[0] && selected in t.steps[0].nodes) && selected !== "L") selected = null;
    draw();
    showErrors();
  });
  model.on("change:position", () => {
    const p = model.get("position") || 0;
    if (p !== pos) { pos = Math.min(Math.max(p, 0), N()); draw(); }
  });

  fill();
  pos = Math.min(pos, N());
  draw();
  return () => stop();
}

export default { render };
