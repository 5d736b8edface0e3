/*
 * Convolutions from Scratch: browser explainers (vanilla JavaScript, no build step, no network).
 *
 *   <div data-cfs-explorer="conv-arithmetic" data-i="5" data-k="3" data-s="2" data-p="1"></div>
 *   <div data-cfs-explorer="receptive-field" data-input-size="16" data-layers="3 1 1 1; 3 2 1 1"></div>
 *
 * conv-arithmetic: data-i, data-k, data-s, data-p, data-d, data-transposed ("true"),
 *   data-output-padding; values outside the sliders' ranges (i 1-12, k 1-7, s 1-4, p 0-4,
 *   d 1-3, output padding 0-3) are clamped to them.
 * receptive-field: data-input-size, data-layers ("k s p d" per layer, layers separated by ";").
 * Both: data-lang="de" | "en" (default: the nearest lang attribute, i.e. the page's <html lang>).
 *
 * Every element with a data-cfs-explorer attribute is mounted on DOMContentLoaded (the
 * script may sit in <head>). window.CFSExplorers = {mount(el, opts), mountAll(scope),
 * get(el), arith, strings}; a mounted explorer's controller has setLang("de" | "en").
 * Styles: explorers.css, every selector under a cfs- class; dark when the page is dark
 * (Quarto's body.quarto-dark, a dark slide/page background, or prefers-color-scheme).
 *
 * The arithmetic mirrors scratchnn.functional.sizes (conv_output_size,
 * conv_transpose_output_size) and scratchnn.receptive_field; the browser tests
 * (tests/browser) compare what this file displays with those Python functions.
 */
(function () {
  "use strict";

  /* ------------------------------------------------------------------ */
  /* Arithmetic: results are {valid: true, ...} or {valid: false, reason} */
  /* ------------------------------------------------------------------ */

  function isInt(v) {
    return typeof v === "number" && Number.isInteger(v);
  }

  /** Argument check in the spirit of scratchnn._checks.check_int. */
  function checkInt(value, name, min) {
    if (!isInt(value) || value < min) {
      return { code: "int", name: name, value: value, min: min };
    }
    return null;
  }

  /** Span of a dilated kernel: d(k-1) + 1. */
  function effectiveKernel(k, d) {
    return d * (k - 1) + 1;
  }

  /** o = floor((i + 2p - d(k-1) - 1)/s) + 1, or the reason it does not exist. */
  function convOutputSize(i, k, s, p, d) {
    var bad = checkInt(i, "i", 1) || checkInt(k, "k", 1) || checkInt(s, "s", 1) ||
      checkInt(p, "p", 0) || checkInt(d, "d", 1);
    if (bad) return { valid: false, reason: bad };
    var ek = effectiveKernel(k, d);
    var padded = i + 2 * p;
    if (ek > padded) {
      return { valid: false, reason: { code: "kernel", ek: ek, k: k, d: d, padded: padded, i: i, p: p } };
    }
    return { valid: true, o: Math.floor((padded - ek) / s) + 1 };
  }

  /** o = (i-1)s - 2p + d(k-1) + output_padding + 1, or the reason it does not exist. */
  function convTransposeOutputSize(i, k, s, p, op, d) {
    var bad = checkInt(i, "i", 1) || checkInt(k, "k", 1) || checkInt(s, "s", 1) ||
      checkInt(p, "p", 0) || checkInt(d, "d", 1) || checkInt(op, "output_padding", 0);
    if (bad) return { valid: false, reason: bad };
    if (op >= Math.max(s, d)) {
      return { valid: false, reason: { code: "output_padding", op: op, s: s, d: d } };
    }
    var o = (i - 1) * s - 2 * p + effectiveKernel(k, d) + op;
    if (o < 1) {
      return { valid: false, reason: { code: "padding", p: p, o: o, i: i, k: k, s: s, d: d } };
    }
    return { valid: true, o: o };
  }

  /**
   * Receptive-field table (Araujo et al. 2019). layers: [{k, s, p, d}], inputSize: int.
   * Row 0 is the input: rf = 1, jump = 1, start = 0 (pixel 0 has centre 0). Per layer:
   *   out = conv_output_size(size, k, s, p, d)
   *   rf_l = rf_{l-1} + d(k-1) jump_{l-1};  jump_l = jump_{l-1} s
   *   start_l = start_{l-1} + (d(k-1)/2 - p) jump_{l-1}
   * An invalid layer and every layer after it get valid: false and a reason.
   */
  function receptiveField(layers, inputSize) {
    var rows = [];
    var bad = checkInt(inputSize, "input_size", 1);
    rows.push(bad ? { name: "input", valid: false, reason: bad } :
      { name: "input", valid: true, output_size: inputSize, receptive_field: 1, jump: 1, start: 0 });
    var prev = rows[0];
    var firstInvalid = bad ? 0 : -1;
    layers.forEach(function (L, idx) {
      var n = idx + 1;
      var row = { name: "layer " + n, kernel: L.k, stride: L.s, padding: L.p, dilation: L.d };
      if (firstInvalid >= 0) {
        row.valid = false;
        row.reason = firstInvalid === 0 ? { code: "after_input" } : { code: "after", layer: firstInvalid };
      } else {
        var r = convOutputSize(prev.output_size, L.k, L.s, L.p, L.d);
        if (!r.valid) {
          row.valid = false;
          row.reason = r.reason;
          firstInvalid = n;
        } else {
          var span = L.d * (L.k - 1);
          row.valid = true;
          row.output_size = r.o;
          row.receptive_field = prev.receptive_field + span * prev.jump;
          row.jump = prev.jump * L.s;
          row.start = prev.start + (span / 2 - L.p) * prev.jump;
        }
      }
      rows.push(row);
      prev = row;
    });
    return rows;
  }

  /**
   * Input pixels (one axis) that actually influence output index u of layer `upTo`
   * (1-based): walk back through the layers, keeping only positions inside each
   * layer's input (padding is a constant and carries no input). Sorted array.
   */
  function influence(layers, rows, upTo, u) {
    var cur = [u];
    for (var l = upTo; l >= 1; l--) {
      var L = layers[l - 1];
      var size = rows[l - 1].output_size;
      var seen = Object.create(null);
      var next = [];
      for (var a = 0; a < cur.length; a++) {
        for (var t = 0; t < L.k; t++) {
          var y = cur[a] * L.s - L.p + t * L.d;
          if (y >= 0 && y < size && !seen[y]) {
            seen[y] = true;
            next.push(y);
          }
        }
      }
      cur = next;
    }
    return cur.sort(function (x, y) { return x - y; });
  }

  /**
   * One axis of the grid the conv explorer draws. Direct: p padding cells, i input
   * cells, p padding cells, window stride s. Transposed (Dumoulin & Visin 2016): the
   * equivalent direct convolution with stride 1 over the input with s-1 zeros inserted
   * between cells and q = d(k-1) - p padding per side (q + output_padding at the end);
   * a negative q crops the stretched input instead.
   */
  function convAxis(st) {
    var cells = [], n;
    if (!st.transposed) {
      for (n = 0; n < st.p; n++) cells.push({ t: "pad" });
      for (n = 0; n < st.i; n++) cells.push({ t: "in", idx: n });
      for (n = 0; n < st.p; n++) cells.push({ t: "pad" });
      return { cells: cells, stride: st.s, crop: 0 };
    }
    var stretched = [];
    for (n = 0; n < st.i; n++) {
      if (n > 0) for (var z = 0; z < st.s - 1; z++) stretched.push({ t: "zero" });
      stretched.push({ t: "in", idx: n });
    }
    var q = st.d * (st.k - 1) - st.p;
    var left = q, right = q + st.op;
    for (n = 0; n < left; n++) cells.push({ t: "pad" });
    var core = stretched.slice(Math.max(0, -left), stretched.length - Math.max(0, -right));
    cells = cells.concat(core);
    for (n = 0; n < right; n++) cells.push({ t: "pad" });
    return { cells: cells, stride: 1, q: q, crop: Math.max(0, -q), cropStart: Math.max(0, -left),
      cropEnd: Math.max(0, -right) };
  }

  var arith = {
    effectiveKernel: effectiveKernel,
    convOutputSize: convOutputSize,
    convTransposeOutputSize: convTransposeOutputSize,
    receptiveField: receptiveField,
    influence: influence,
    convAxis: convAxis
  };

  /* ------------------------------------------------------------------ */
  /* UI strings                                                          */
  /* ------------------------------------------------------------------ */

  var STRINGS = {
    en: {
      convTitle: "Convolution arithmetic",
      i: "input size i", k: "kernel size k", s: "stride s", p: "padding p", d: "dilation d",
      op: "output padding", transposed: "transposed convolution",
      play: "Play", pause: "Pause", step: "Step", back: "Back", reset: "Reset",
      figure: "Sliding window. Keys: arrow right/left step, space plays or pauses, Home and End jump; " +
        "clicking an output cell shows the window that writes it.",
      position: "Position {n} of {total}: window at row {wr}, column {wc} writes output cell ({r}, {c})",
      noPosition: "No output: the configuration is invalid.",
      invalid: "Invalid:",
      outLabel: "output size",
      equivalent: "Drawn as the equivalent direct convolution with stride 1 (Dumoulin & Visin 2016): " +
        "s − 1 = {z} {z|zero|zeros} inserted between input cells, d(k − 1) − p = {q} padding per side",
      equivalentOp: ", plus output_padding = {op} at the bottom and right",
      equivalentCrop: "; negative padding crops the stretched input instead: {a} {a|cell|cells} at the top and " +
        "left, {b} at the bottom and right",
      legendIn: "input", legendPad: "padding", legendZero: "inserted zero", legendTap: "kernel tap",
      legendDone: "output written", legendCur: "output being written",
      inputGrid: "Input grid", outputGrid: "Output grid",
      reasons: {
        int: "{name}={value} must be an integer >= {min}",
        kernel: "effective kernel {ek} (kernel {k}, dilation {d}) exceeds padded input {padded} " +
          "(input {i}, padding {p} per side)",
        output_padding: "output_padding={op} must be smaller than the stride ({s}) or the dilation ({d})",
        padding: "padding p={p} removes the whole output (size {o} for input {i}, kernel {k}, " +
          "stride {s}, dilation {d})",
        after: "follows invalid layer {layer}",
        after_input: "follows an invalid input size"
      },
      rfTitle: "Receptive field calculator",
      inputSize: "input size",
      layer: "layer", inputRow: "input",
      outSize: "output size", rf: "receptive field", jump: "jump", start: "start",
      addLayer: "Add layer", remove: "Remove", removeLayer: "Remove layer {n}",
      kOf: "kernel size k of layer {n}", sOf: "stride s of layer {n}", pOf: "padding p of layer {n}",
      dOf: "dilation d of layer {n}",
      show: "Show the field of layer", cellRow: "output row", cellCol: "output column",
      fieldText: "Output cell ({r}, {c}) of layer {l}: receptive field {rf} × {rf} centred on input " +
        "pixel ({cr}, {cc}); rows {a} to {b}, columns {e} to {f}. Input pixels that influence the cell " +
        "(orange): {m}.",
      noField: "No valid layer to show.",
      legendInfl: "influences the output cell", legendField: "receptive field (formula)",
      legendInput: "input pixel", legendOutside: "outside the input (padding)",
      tableCaption: "Layers: edit k, s, p, d; the computed columns update as you type."
    },
    de: {
      convTitle: "Faltungsarithmetik",
      i: "Eingabegröße i", k: "Kerngröße k", s: "Schrittweite s", p: "Padding p", d: "Dilatation d",
      op: "Output-Padding", transposed: "transponierte Faltung",
      play: "Abspielen", pause: "Pause", step: "Schritt", back: "Zurück", reset: "Zurücksetzen",
      figure: "Gleitendes Fenster. Tasten: Pfeil rechts/links für Schritte, Leertaste startet oder " +
        "pausiert, Pos1 und Ende springen; ein Klick auf eine Ausgabezelle zeigt das Fenster, das sie schreibt.",
      position: "Position {n} von {total}: Fenster bei Zeile {wr}, Spalte {wc} schreibt Ausgabezelle ({r}, {c})",
      noPosition: "Keine Ausgabe: die Konfiguration ist ungültig.",
      invalid: "Ungültig:",
      outLabel: "Ausgabegröße",
      equivalent: "Gezeichnet als gleichwertige direkte Faltung mit Schrittweite 1 (Dumoulin & Visin 2016): " +
        "s − 1 = {z} {z|Null|Nullen} zwischen den Eingabezellen, d(k − 1) − p = {q} Padding pro Seite",
      equivalentOp: ", dazu output_padding = {op} unten und rechts",
      equivalentCrop: "; negatives Padding schneidet stattdessen die gestreckte Eingabe ab: {a} {a|Zelle|Zellen} " +
        "oben und links, {b} unten und rechts",
      legendIn: "Eingabe", legendPad: "Padding", legendZero: "eingefügte Null", legendTap: "Kernelement",
      legendDone: "Ausgabe geschrieben", legendCur: "Ausgabe wird geschrieben",
      inputGrid: "Eingaberaster", outputGrid: "Ausgaberaster",
      reasons: {
        int: "{name}={value} muss eine ganze Zahl >= {min} sein",
        kernel: "effektiver Kern {ek} (Kern {k}, Dilatation {d}) ist größer als die aufgefüllte Eingabe " +
          "{padded} (Eingabe {i}, Padding {p} pro Seite)",
        output_padding: "output_padding={op} muss kleiner sein als die Schrittweite ({s}) oder die " +
          "Dilatation ({d})",
        padding: "Padding p={p} entfernt die ganze Ausgabe (Größe {o} bei Eingabe {i}, Kern {k}, " +
          "Schrittweite {s}, Dilatation {d})",
        after: "folgt auf die ungültige Schicht {layer}",
        after_input: "folgt auf eine ungültige Eingabegröße"
      },
      rfTitle: "Rezeptives-Feld-Rechner",
      inputSize: "Eingabegröße",
      layer: "Schicht", inputRow: "Eingabe",
      outSize: "Ausgabe\u00ADgröße", rf: "rezeptives Feld", jump: "Sprung", start: "Start",
      addLayer: "Schicht hinzufügen", remove: "Entfernen", removeLayer: "Schicht {n} entfernen",
      kOf: "Kerngröße k von Schicht {n}", sOf: "Schrittweite s von Schicht {n}",
      pOf: "Padding p von Schicht {n}", dOf: "Dilatation d von Schicht {n}",
      show: "Feld zeigen von Schicht", cellRow: "Ausgabezeile", cellCol: "Ausgabespalte",
      fieldText: "Ausgabezelle ({r}, {c}) von Schicht {l}: rezeptives Feld {rf} × {rf} mit Mittelpunkt " +
        "auf Eingabepixel ({cr}, {cc}); Zeilen {a} bis {b}, Spalten {e} bis {f}. Eingabepixel, die die " +
        "Zelle beeinflussen (orange): {m}.",
      noField: "Keine gültige Schicht zum Zeigen.",
      legendInfl: "beeinflusst die Ausgabezelle", legendField: "rezeptives Feld (Formel)",
      legendInput: "Eingabepixel", legendOutside: "außerhalb der Eingabe (Padding)",
      tableCaption: "Schichten: k, s, p, d bearbeiten; die berechneten Spalten folgen beim Tippen."
    }
  };

  function langOf(el, opts) {
    var raw = (opts && opts.lang) || el.getAttribute("data-lang") ||
      (el.closest("[lang]") && el.closest("[lang]").getAttribute("lang")) ||
      document.documentElement.getAttribute("lang") || "en";
    return String(raw).toLowerCase().indexOf("de") === 0 ? "de" : "en";
  }

  /** "{n}" -> values.n; "{n|one|many}" -> "one" when values.n is 1, else "many". */
  function fill(template, values) {
    return template.replace(/\{(\w+)(?:\|([^|}]*)\|([^}]*))?\}/g, function (m, key, one, many) {
      if (!(key in values)) return m;
      if (one === undefined) return String(values[key]);
      return String(values[key]) === "1" ? one : many;
    });
  }

  /** Plain integers; halves as x.5 (x,5 in German); negatives with a real minus sign. */
  function num(v, lang) {
    var s = Number.isInteger(v) ? String(Math.abs(v)) : Math.abs(v).toFixed(1);
    if (lang === "de") s = s.replace(".", ",");
    return (v < 0 ? "\u2212" : "") + s;
  }

  function reasonText(reason, lang) {
    var T = STRINGS[lang].reasons;
    var vals = {};
    Object.keys(reason).forEach(function (key) {
      var v = reason[key];
      vals[key] = typeof v === "number" && isFinite(v) ? (v < 0 ? "-" + Math.abs(v) : String(v)) :
        (v === null || v === undefined || (typeof v === "number" && !isFinite(v)) ? "?" : v);
    });
    if (reason.code === "int" && typeof reason.value === "string") vals.value = "'" + reason.value + "'";
    return fill(T[reason.code], vals);
  }

  /* ------------------------------------------------------------------ */
  /* DOM helpers                                                         */
  /* ------------------------------------------------------------------ */

  var SVGNS = "http://www.w3.org/2000/svg";
  var C = 10;  // one grid cell in SVG units
  var uid = 0;

  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    setAttrs(node, attrs);
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function s(tag, attrs, parent) {
    var node = document.createElementNS(SVGNS, tag);
    setAttrs(node, attrs);
    if (parent) parent.appendChild(node);
    return node;
  }

  function setAttrs(node, attrs) {
    Object.keys(attrs || {}).forEach(function (key) {
      var v = attrs[key];
      if (v === false || v === null || v === undefined) return;
      if (key === "text") node.textContent = v;
      else node.setAttribute(key, v === true ? "" : String(v));
    });
  }

  function intAttr(el, name, fallback) {
    var v = el.getAttribute(name);
    if (v === null || v === "") return fallback;
    var n = parseInt(v, 10);
    return isNaN(n) ? fallback : n;
  }

  function boolAttr(el, name) {
    var v = el.getAttribute(name);
    return v !== null && v !== "false" && v !== "0" && v !== "no";
  }

  function clamp(v, lo, hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  /** Keys an explorer handles must not also move a reveal.js deck. */
  function keepKeys(root) {
    root.addEventListener("keydown", function (ev) {
      var k = ev.key;
      if (k === " " || k === "Enter" || k.indexOf("Arrow") === 0 || k === "Home" || k === "End" ||
          k === "PageUp" || k === "PageDown" || /^[0-9]$/.test(k)) {
        ev.stopPropagation();
      }
    });
  }

  /** Pick cfs-dark / cfs-light from the nearest opaque background (Quarto, reveal.js themes). */
  function watchTheme(root) {
    var observer = null;
    function apply() {
      if (!root.isConnected && observer) {  // the explorer was removed from the page
        observer.disconnect();
        return;
      }
      var node = root.parentElement, bg = null;
      while (node && node.nodeType === 1) {
        var c = getComputedStyle(node).backgroundColor;
        var m = c && c.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/);
        if (m && (m[4] === undefined || parseFloat(m[4]) > 0.5)) { bg = m; break; }
        node = node.parentElement;
      }
      root.classList.remove("cfs-dark", "cfs-light");
      if (document.body && document.body.classList.contains("quarto-dark")) {
        root.classList.add("cfs-dark");
      } else if (bg) {
        var lum = (0.2126 * bg[1] + 0.7152 * bg[2] + 0.0722 * bg[3]) / 255;
        root.classList.add(lum < 0.45 ? "cfs-dark" : "cfs-light");
      } else if (window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches) {
        root.classList.add("cfs-dark");  // transparent all the way up: follow the OS setting
      }
    }
    apply();
    if (window.MutationObserver && document.body) {
      observer = new MutationObserver(apply);
      observer.observe(document.body, { attributes: true, attributeFilter: ["class"] });
    }
    if (window.matchMedia) {
      var mq = window.matchMedia("(prefers-color-scheme: dark)");
      if (mq.addEventListener) mq.addEventListener("change", apply);
    }
    return apply;
  }

  function legendItem(cls, text) {
    var sw = s("svg", { "class": "cfs-swatch", viewBox: "0 0 10 10", "aria-hidden": "true", focusable: "false" });
    s("rect", { x: 0.5, y: 0.5, width: 9, height: 9, "class": cls }, sw);
    return h("span", { "class": "cfs-legend-item" }, [sw, text]);
  }

  /* ------------------------------------------------------------------ */
  /* Convolution-arithmetic explorer                                     */
  /* ------------------------------------------------------------------ */

  var CONV_RANGES = {
    i: [1, 12], k: [1, 7], s: [1, 4], p: [0, 4], d: [1, 3], op: [0, 3]
  };

  function ConvExplorer(root, opts) {
    opts = opts || {};
    this.root = root;
    this.lang = langOf(root, opts);
    function pick(key, attr, def) {
      var v = key in opts ? opts[key] : intAttr(root, attr, def);
      return clamp(v, CONV_RANGES[key][0], CONV_RANGES[key][1]);
    }
    this.state = {
      i: pick("i", "data-i", 5), k: pick("k", "data-k", 3), s: pick("s", "data-s", 1),
      p: pick("p", "data-p", 0), d: pick("d", "data-d", 1),
      op: pick("op", "data-output-padding", 0),
      transposed: "transposed" in opts ? !!opts.transposed : boolAttr(root, "data-transposed")
    };
    this.pos = 0;
    this.timer = null;
    this.id = "cfs" + (++uid);
    this.build();
    this.update();
    this.retheme = watchTheme(root);
    keepKeys(root);
  }

  ConvExplorer.prototype.t = function (key) {
    return STRINGS[this.lang][key];
  };

  ConvExplorer.prototype.build = function () {
    var self = this, root = this.root, T = STRINGS[this.lang];
    this.drawnKey = null;
    root.classList.add("cfs-explorer", "cfs-conv");
    root.setAttribute("lang", this.lang);
    root.textContent = "";
    this.inputs = {};
    this.outs = {};
    var controls = h("div", { "class": "cfs-controls" });
    ["i", "k", "s", "p", "d", "op"].forEach(function (key) {
      var id = self.id + "-" + key;
      var input = h("input", {
        type: "range", id: id, min: CONV_RANGES[key][0], max: CONV_RANGES[key][1], step: 1,
        value: self.state[key], "class": "cfs-range", "data-cfs-param": key
      });
      var out = h("output", { "for": id, "class": "cfs-value", "data-cfs-value": key, text: self.state[key] });
      input.addEventListener("input", function () {
        self.state[key] = parseInt(input.value, 10);
        out.textContent = input.value;
        self.pos = 0;
        self.update();
      });
      var lab = h("label", { "for": id, "class": "cfs-label", text: T[key] });
      var wrap = h("div", { "class": "cfs-field", "data-cfs-field": key }, [lab, input, out]);
      self.inputs[key] = input;
      self.outs[key] = out;
      self.fields = self.fields || {};
      self.fields[key] = wrap;
      controls.appendChild(wrap);
    });
    var tid = this.id + "-t";
    var tbox = h("input", { type: "checkbox", id: tid, "class": "cfs-check", "data-cfs-param": "transposed" });
    tbox.checked = this.state.transposed;
    tbox.addEventListener("change", function () {
      self.state.transposed = tbox.checked;
      self.pos = 0;
      self.update();
    });
    this.inputs.transposed = tbox;
    controls.insertBefore(h("div", { "class": "cfs-field cfs-field-check" },
      [tbox, h("label", { "for": tid, "class": "cfs-label", text: T.transposed })]), this.fields.op);

    this.formula = h("div", {
      "class": "cfs-formula", "aria-live": "polite", "aria-atomic": "true", "data-cfs-role": "formula"
    });
    this.note = h("p", { "class": "cfs-note", "data-cfs-role": "equivalent" });

    var buttons = h("div", { "class": "cfs-buttons" });
    function button(role, label, fn) {
      var b = h("button", { type: "button", "class": "cfs-button", "data-cfs-action": role, text: label });
      b.addEventListener("click", fn);
      buttons.appendChild(b);
      return b;
    }
    this.btnBack = button("back", T.back, function () { self.stop(); self.go(self.pos - 1); });
    this.btnPlay = button("play", T.play, function () { self.toggle(); });
    this.btnStep = button("step", T.step, function () { self.stop(); self.go(self.pos + 1); });
    this.btnReset = button("reset", T.reset, function () { self.stop(); self.go(0); });
    this.btnPlay.setAttribute("aria-pressed", "false");
    this.status = h("p", { "class": "cfs-status", "data-cfs-role": "status" });

    this.svg = s("svg", {
      "class": "cfs-svg", role: "img", "aria-labelledby": this.id + "-fig-label", focusable: "false",
      preserveAspectRatio: "xMinYMin meet"
    });
    this.figure = h("div", {
      "class": "cfs-figure", tabindex: "0", role: "group", "aria-label": T.figure,
      "data-cfs-role": "figure"
    }, [h("span", { id: this.id + "-fig-label", "class": "cfs-sr", text: T.figure }), this.svg]);
    // Clicking an output cell jumps to the window that writes it.
    this.svg.addEventListener("click", function (ev) {
      var D = self.dyn, ctm = self.svg.getScreenCTM();
      if (!D || !ctm) return;
      var pt = self.svg.createSVGPoint();
      pt.x = ev.clientX;
      pt.y = ev.clientY;
      var q = pt.matrixTransform(ctm.inverse());
      var col = Math.floor((q.x - D.ox) / C), row = Math.floor(q.y / C);
      if (row >= 0 && row < D.o && col >= 0 && col < D.o) {
        self.stop();
        self.go(row * D.o + col);
      }
    });
    this.figure.addEventListener("keydown", function (ev) {
      var handled = true;
      if (ev.key === "ArrowRight") { self.stop(); self.go(self.pos + 1); }
      else if (ev.key === "ArrowLeft") { self.stop(); self.go(self.pos - 1); }
      else if (ev.key === "Home") { self.stop(); self.go(0); }
      else if (ev.key === "End") { self.stop(); self.go(self.total() - 1); }
      else if (ev.key === " " || ev.key === "Enter") { self.toggle(); }
      else handled = false;
      if (handled) ev.preventDefault();
    });

    var legend = h("div", { "class": "cfs-legend", "aria-hidden": "true" }, [
      legendItem("cfs-c-in", T.legendIn), legendItem("cfs-c-pad", T.legendPad),
      legendItem("cfs-c-zero", T.legendZero), legendItem("cfs-c-tap", T.legendTap),
      legendItem("cfs-c-done", T.legendDone), legendItem("cfs-c-cur", T.legendCur)
    ]);
    this.legendZero = legend.children[2];
    this.legend = legend;

    root.appendChild(h("div", { "class": "cfs-title", text: T.convTitle }));
    root.appendChild(controls);
    root.appendChild(this.formula);
    root.appendChild(this.note);
    root.appendChild(buttons);
    root.appendChild(this.figure);
    root.appendChild(legend);
    root.appendChild(this.status);
  };

  /** The current output size and why not, from the arithmetic. */
  ConvExplorer.prototype.result = function () {
    var st = this.state;
    return st.transposed ? convTransposeOutputSize(st.i, st.k, st.s, st.p, st.op, st.d) :
      convOutputSize(st.i, st.k, st.s, st.p, st.d);
  };

  ConvExplorer.prototype.total = function () {
    var r = this.result();
    return r.valid ? r.o * r.o : 0;
  };

  ConvExplorer.prototype.update = function () {
    var st = this.state, T = STRINGS[this.lang], L = this.lang;
    Object.keys(this.outs).forEach(function (key) {
      this.inputs[key].value = st[key];
      this.outs[key].textContent = st[key];
    }, this);
    this.inputs.transposed.checked = st.transposed;
    this.fields.op.hidden = !st.transposed;
    this.legendZero.hidden = !st.transposed || st.s === 1;
    var r = this.result();
    this.root.setAttribute("data-cfs-valid", r.valid ? "true" : "false");

    // Formula with the numbers filled in.
    this.formula.textContent = "";
    var n = function (v) { return num(v, L); };
    var general, filled;
    if (!st.transposed) {
      general = "o = \u230A(i + 2p \u2212 d(k \u2212 1) \u2212 1) / s\u230B + 1";
      filled = "= \u230A(" + n(st.i) + " + 2\u00B7" + n(st.p) + " \u2212 " + n(st.d) + "\u00B7(" + n(st.k) +
        " \u2212 1) \u2212 1) / " + n(st.s) + "\u230B + 1";
      if (r.valid) {
        filled += " = \u230A" + n(st.i + 2 * st.p - st.d * (st.k - 1) - 1) + " / " + n(st.s) + "\u230B + 1 = ";
      }
    } else {
      general = "o = (i \u2212 1)\u00B7s \u2212 2p + d(k \u2212 1) + output_padding + 1";
      filled = "= (" + n(st.i) + " \u2212 1)\u00B7" + n(st.s) + " \u2212 2\u00B7" + n(st.p) + " + " + n(st.d) +
        "\u00B7(" + n(st.k) + " \u2212 1) + " + n(st.op) + " + 1";
      if (r.valid) filled += " = ";
    }
    this.formula.appendChild(h("div", { "class": "cfs-formula-general", text: general }));
    var line = h("div", { "class": "cfs-formula-filled" }, [filled]);
    if (r.valid) {
      line.appendChild(h("strong", { "class": "cfs-result", "data-cfs-role": "output-size", text: n(r.o) }));
      this.formula.appendChild(line);
      this.formula.appendChild(h("div", { "class": "cfs-formula-shape" },
        [T.outLabel + ": " + n(r.o) + " \u00D7 " + n(r.o)]));
    } else {
      if (r.reason.code === "padding") line.appendChild(document.createTextNode(" = " + n(r.reason.o) + " < 1"));
      if (r.reason.code === "kernel") {
        line.appendChild(document.createTextNode(";  d(k \u2212 1) + 1 = " + n(r.reason.ek) +
          " > i + 2p = " + n(r.reason.padded)));
      }
      this.formula.appendChild(line);
      this.formula.appendChild(h("div", { "class": "cfs-invalid", "data-cfs-role": "invalid", role: "alert" }, [
        h("strong", { text: T.invalid + " " }), reasonText(r.reason, L)
      ]));
    }

    // Transposed: how the drawing relates to the formula.
    if (st.transposed && r.valid) {
      var ax = convAxis(st);
      var text = fill(T.equivalent, { z: n(st.s - 1), q: n(ax.q) });
      if (st.op) text += fill(T.equivalentOp, { op: n(st.op) });
      if (ax.crop) text += fill(T.equivalentCrop, { a: n(ax.cropStart), b: n(ax.cropEnd) });
      this.note.textContent = text + ".";
      this.note.hidden = false;
    } else {
      this.note.textContent = "";
      this.note.hidden = true;
    }

    [this.btnBack, this.btnPlay, this.btnStep, this.btnReset].forEach(function (b) { b.disabled = !r.valid; });
    if (!r.valid) this.stop();
    else if (this.timer) this.play();  // keep playing at the pace of the new number of positions
    this.root.setAttribute("data-cfs-positions", String(this.total()));
    this.go(this.pos);
  };

  ConvExplorer.prototype.go = function (pos) {
    var total = this.total();
    this.pos = total ? ((pos % total) + total) % total : 0;
    this.draw();
  };

  ConvExplorer.prototype.toggle = function () {
    if (this.timer) this.stop();
    else this.play();
  };

  ConvExplorer.prototype.play = function () {
    var self = this;
    if (!this.total()) return;
    this.stop();
    this.timer = setInterval(function () {
      if (!self.root.isConnected) { self.stop(); return; }
      self.go(self.pos + 1);
    }, this.interval || clamp(Math.round(12000 / this.total()), 60, 700));  // a lap takes at most ~12 s
    this.btnPlay.textContent = this.t("pause");
    this.btnPlay.setAttribute("aria-pressed", "true");
  };

  ConvExplorer.prototype.stop = function () {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.btnPlay) {
      this.btnPlay.textContent = this.t("play");
      this.btnPlay.setAttribute("aria-pressed", "false");
    }
  };

  /** Grid lines for an n x m block of cells at (x0, y0). */
  function gridLines(g, x0, y0, cols, rows, C) {
    for (var a = 0; a <= rows; a++) {
      s("line", { x1: x0, x2: x0 + cols * C, y1: y0 + a * C, y2: y0 + a * C, "class": "cfs-gridline" }, g);
    }
    for (var b = 0; b <= cols; b++) {
      s("line", { y1: y0, y2: y0 + rows * C, x1: x0 + b * C, x2: x0 + b * C, "class": "cfs-gridline" }, g);
    }
  }

  /**
   * Redraw the parts that depend on the parameters (grids) only when they change;
   * each animation step then moves the window and colours the output cells.
   */
  ConvExplorer.prototype.draw = function () {
    var key = JSON.stringify([this.state, this.lang]);
    if (key !== this.drawnKey) {
      this.drawStatic();
      this.drawnKey = key;
    }
    this.drawStep();
  };

  ConvExplorer.prototype.drawStatic = function () {
    var st = this.state, T = STRINGS[this.lang], svg = this.svg;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    this.dyn = null;
    var r = this.result();
    var gap = 2 * C;
    this.figure.hidden = this.legend.hidden = !r.valid && st.transposed;
    if (!r.valid && st.transposed) return;  // nothing to draw: the formula says why
    var ax = convAxis(st);
    var N = ax.cells.length;
    var ek = effectiveKernel(st.k, st.d);
    var o = r.valid ? r.o : 0;
    var width = (r.valid ? N + o : Math.max(N, ek)) * C + (r.valid ? gap : 0);
    var fs = Math.max(6, width * 0.022);  // grid titles stay readable when big grids shrink
    var label = 1.6 * fs;
    var height = Math.max(N, o, r.valid ? 0 : ek) * C + label;
    svg.setAttribute("viewBox", [-1, -label, width + 2, height + 2].join(" "));
    svg.style.maxWidth = Math.max(14, width / C * 1.9) + "em";
    s("text", { x: 0, y: -0.5 * fs, "class": "cfs-svg-text", "font-size": fs, text: T.inputGrid }, svg);

    // Input side: padding everywhere, the (stretched) input in the middle, its cells on top.
    var gIn = s("g", { "class": "cfs-grid-in" }, svg);
    var lo = -1, hi = -1, n;
    for (n = 0; n < N; n++) {
      if (ax.cells[n].t !== "pad") { if (lo < 0) lo = n; hi = n; }
    }
    s("rect", { x: 0, y: 0, width: N * C, height: N * C, "class": "cfs-c-pad" }, gIn);
    if (lo >= 0) {
      var core = (hi - lo + 1) * C;
      s("rect", { x: lo * C, y: lo * C, width: core, height: core,
        "class": st.transposed ? "cfs-c-zero" : "cfs-c-in" }, gIn);
      if (st.transposed) {
        for (var y = lo; y <= hi; y++) {
          if (ax.cells[y].t !== "in") continue;
          for (var x = lo; x <= hi; x++) {
            if (ax.cells[x].t === "in") s("rect", { x: x * C, y: y * C, width: C, height: C, "class": "cfs-c-in" }, gIn);
          }
        }
      }
    }
    if (N <= 24) {
      for (var yy = 0; yy < N; yy++) {
        for (var xx = 0; xx < N; xx++) {
          if (ax.cells[yy].t === "in" && ax.cells[xx].t === "in") continue;
          s("text", { x: xx * C + C / 2, y: yy * C + C * 0.68, "class": "cfs-cell-text", text: "0" }, gIn);
        }
      }
    }
    gridLines(gIn, 0, 0, N, N, C);
    if (!r.valid) {
      // The kernel does not fit: show its span overhanging the padded input.
      s("rect", { x: 0, y: 0, width: ek * C, height: ek * C, "class": "cfs-window cfs-window-invalid" }, svg);
      return;
    }
    var ox = N * C + gap;
    s("text", { x: ox, y: -0.5 * fs, "class": "cfs-svg-text", "font-size": fs, text: T.outputGrid }, svg);
    var gOut = s("g", { "class": "cfs-grid-out" }, svg);
    s("rect", { x: ox, y: 0, width: o * C, height: o * C, "class": "cfs-c-empty" }, gOut);
    var dyn = s("g", { "class": "cfs-dynamic" }, svg);
    gridLines(s("g", { "class": "cfs-grid-out-lines" }, svg), ox, 0, o, o, C);
    this.dyn = { g: dyn, ax: ax, o: o, ek: ek, ox: ox };
  };

  ConvExplorer.prototype.drawStep = function () {
    var st = this.state, T = STRINGS[this.lang], L = this.lang, D = this.dyn;
    if (!D) {
      this.status.textContent = T.noPosition;
      this.root.removeAttribute("data-cfs-cell");
      this.root.removeAttribute("data-cfs-pos");
      return;
    }
    var g = D.g, o = D.o, ox = D.ox, ek = D.ek, stride = D.ax.stride;
    while (g.firstChild) g.removeChild(g.firstChild);
    var row = Math.floor(this.pos / o), col = this.pos % o;
    var wr = row * stride, wc = col * stride;
    for (var ti = 0; ti < st.k; ti++) {
      for (var tj = 0; tj < st.k; tj++) {
        s("rect", {
          x: (wc + tj * st.d) * C + 1, y: (wr + ti * st.d) * C + 1, width: C - 2, height: C - 2,
          "class": "cfs-c-tap"
        }, g);
      }
    }
    s("rect", { x: wc * C, y: wr * C, width: ek * C, height: ek * C, "class": "cfs-window" }, g);
    // Written cells: the full rows above, then the start of this row (row-major order).
    if (row > 0) s("rect", { x: ox, y: 0, width: o * C, height: row * C, "class": "cfs-c-done" }, g);
    if (col > 0) s("rect", { x: ox, y: row * C, width: col * C, height: C, "class": "cfs-c-done" }, g);
    s("rect", {
      x: ox + col * C, y: row * C, width: C, height: C, "class": "cfs-c-cur", "data-cfs-out": row + "," + col
    }, g);
    // A thin line from the window's centre to the cell it writes.
    s("line", {
      x1: (wc + ek / 2) * C, y1: (wr + ek / 2) * C, x2: ox + (col + 0.5) * C, y2: (row + 0.5) * C,
      "class": "cfs-link"
    }, g);
    this.root.setAttribute("data-cfs-cell", row + "," + col);
    this.root.setAttribute("data-cfs-pos", String(this.pos));
    this.status.textContent = fill(T.position, {
      n: num(this.pos + 1, L), total: num(o * o, L), wr: num(wr, L), wc: num(wc, L), r: num(row, L), c: num(col, L)
    });
  };

  ConvExplorer.prototype.setLang = function (lang) {
    this.stop();
    this.lang = lang === "de" ? "de" : "en";
    this.build();
    this.update();
    this.retheme();
  };

  ConvExplorer.prototype.set = function (values) {
    Object.keys(values).forEach(function (key) {
      if (key === "transposed") this.state.transposed = !!values[key];
      else if (key in CONV_RANGES) this.state[key] = clamp(values[key], CONV_RANGES[key][0], CONV_RANGES[key][1]);
    }, this);
    this.pos = 0;
    this.update();
  };

  /* ------------------------------------------------------------------ */
  /* Receptive-field calculator                                          */
  /* ------------------------------------------------------------------ */

  function parseLayers(text) {
    if (!text) return null;
    var out = [];
    text.split(/[;\n]/).forEach(function (part) {
      var v = part.trim().split(/[\s,]+/).filter(Boolean).map(function (x) { return parseInt(x, 10); });
      if (v.length) out.push({ k: v[0], s: v.length > 1 ? v[1] : 1, p: v.length > 2 ? v[2] : 0, d: v.length > 3 ? v[3] : 1 });
    });
    return out.length ? out : null;
  }

  /** A number input's value as an int, or the raw string when it is not one (reported as invalid). */
  function readInt(input) {
    var v = input.value.trim();
    return /^-?\d+$/.test(v) ? parseInt(v, 10) : v;
  }

  function RFExplorer(root, opts) {
    opts = opts || {};
    this.root = root;
    this.lang = langOf(root, opts);
    this.id = "cfs" + (++uid);
    this.size = opts.inputSize || intAttr(root, "data-input-size", 16);
    this.layers = (opts.layers || parseLayers(root.getAttribute("data-layers")) ||
      [{ k: 3, s: 1, p: 1, d: 1 }, { k: 3, s: 2, p: 1, d: 1 }, { k: 3, s: 1, p: 2, d: 2 }])
      .map(function (L) { return { k: L.k, s: L.s, p: L.p, d: L.d }; });
    this.sel = { layer: null, r: 0, c: 0 };
    this.build();
    this.update();
    this.retheme = watchTheme(root);
    keepKeys(root);
  }

  RFExplorer.prototype.build = function () {
    var self = this, root = this.root, T = STRINGS[this.lang];
    root.classList.add("cfs-explorer", "cfs-rf");
    root.setAttribute("lang", this.lang);
    root.textContent = "";
    var sizeId = this.id + "-size";
    this.sizeInput = h("input", {
      type: "number", id: sizeId, min: 1, max: 4096, step: 1, value: this.size, "class": "cfs-num",
      "data-cfs-param": "input-size"
    });
    this.sizeInput.addEventListener("input", function () {
      self.size = readInt(self.sizeInput);
      self.update();
    });
    root.appendChild(h("div", { "class": "cfs-title", text: T.rfTitle }));
    // Two columns when there is room (table | drawing), one below the other otherwise.
    var main = h("div", { "class": "cfs-col-main" }), side = h("div", { "class": "cfs-col-side" });
    root.appendChild(h("div", { "class": "cfs-columns" }, [main, side]));
    main.appendChild(h("div", { "class": "cfs-controls" }, [
      h("div", { "class": "cfs-field" }, [h("label", { "for": sizeId, "class": "cfs-label", text: T.inputSize }),
        this.sizeInput])
    ]));

    var cols = ["k", "s", "p", "d"];
    var head = h("tr", {}, [h("th", { scope: "col", text: T.layer })].concat(
      cols.map(function (c) { return h("th", { scope: "col", text: c }); }),
      [T.outSize, T.rf, T.jump, T.start].map(function (c) { return h("th", { scope: "col", text: c }); }),
      [h("th", { scope: "col" }, [h("span", { "class": "cfs-sr", text: T.remove })])]));
    this.tbody = h("tbody");
    this.table = h("table", { "class": "cfs-table" }, [
      h("caption", { "class": "cfs-caption", text: T.tableCaption }), h("thead", {}, [head]), this.tbody
    ]);
    main.appendChild(h("div", { "class": "cfs-table-wrap" }, [this.table]));
    this.addBtn = h("button", { type: "button", "class": "cfs-button", "data-cfs-action": "add", text: T.addLayer });
    this.addBtn.addEventListener("click", function () {
      var hadFocus = document.activeElement === self.addBtn;
      var last = self.layers[self.layers.length - 1] || { k: 3, s: 1, p: 1, d: 1 };
      self.layers.push({ k: last.k, s: last.s, p: last.p, d: last.d });
      self.buildRows();
      self.update();
      // A keyboard (or mouse) user who pressed the button continues in the new row.
      var inputs = self.tbody.lastChild.querySelectorAll("input");
      if (hadFocus && inputs.length) inputs[0].focus();
    });
    main.appendChild(h("div", { "class": "cfs-buttons" }, [this.addBtn]));

    // Which output cell's field to draw.
    this.layerSel = h("select", { id: this.id + "-layer", "class": "cfs-select", "data-cfs-param": "show-layer" });
    this.layerSel.addEventListener("change", function () {
      self.sel.layer = parseInt(self.layerSel.value, 10);
      self.update();
    });
    this.rowInput = h("input", { type: "number", id: this.id + "-r", min: 0, step: 1, value: 0, "class": "cfs-num",
      "data-cfs-param": "show-row" });
    this.colInput = h("input", { type: "number", id: this.id + "-c", min: 0, step: 1, value: 0, "class": "cfs-num",
      "data-cfs-param": "show-col" });
    [["r", this.rowInput], ["c", this.colInput]].forEach(function (pair) {
      pair[1].addEventListener("input", function () {
        var v = readInt(pair[1]);
        self.sel[pair[0]] = isInt(v) ? v : 0;
        self.update();
      });
    });
    main.appendChild(h("div", { "class": "cfs-controls" }, [
      h("div", { "class": "cfs-field" }, [h("label", { "for": this.id + "-layer", "class": "cfs-label", text: T.show }),
        this.layerSel]),
      h("div", { "class": "cfs-field" }, [h("label", { "for": this.id + "-r", "class": "cfs-label", text: T.cellRow }),
        this.rowInput]),
      h("div", { "class": "cfs-field" }, [h("label", { "for": this.id + "-c", "class": "cfs-label", text: T.cellCol }),
        this.colInput])
    ]));
    this.fieldText = h("p", { "class": "cfs-formula cfs-desc", "aria-live": "polite", "data-cfs-role": "field" });
    main.appendChild(this.fieldText);
    this.svg = s("svg", { "class": "cfs-svg", role: "img", "aria-labelledby": this.id + "-field-desc",
      focusable: "false", preserveAspectRatio: "xMinYMin meet" });
    this.fieldText.id = this.id + "-field-desc";
    side.appendChild(h("div", { "class": "cfs-figure" }, [this.svg]));
    side.appendChild(h("div", { "class": "cfs-legend", "aria-hidden": "true" }, [
      legendItem("cfs-c-in", T.legendInput), legendItem("cfs-c-infl", T.legendInfl),
      legendItem("cfs-c-field", T.legendField), legendItem("cfs-c-pad", T.legendOutside)
    ]));
    this.buildRows();
  };

  RFExplorer.prototype.buildRows = function () {
    var self = this, T = STRINGS[this.lang];
    var tb = this.tbody;
    tb.textContent = "";
    this.rowEls = [];
    var computed = function () {
      return ["output_size", "receptive_field", "jump", "start"].map(function (c) {
        return h("td", { "class": "cfs-num-cell", "data-cfs-col": c });
      });
    };
    var inputRow = h("tr", { "data-cfs-row": "0" }, [h("th", { scope: "row", text: T.inputRow })].concat(
      [h("td", { colspan: 4 })], computed(), [h("td")]));
    tb.appendChild(inputRow);
    this.rowEls.push(inputRow);
    this.layers.forEach(function (L, idx) {
      var n = idx + 1;
      var cells = ["k", "s", "p", "d"].map(function (key) {
        var min = key === "p" ? 0 : 1;
        var input = h("input", {
          type: "number", min: min, max: 999, step: 1, value: L[key], "class": "cfs-num",
          "aria-label": fill(T[key + "Of"], { n: n }), "data-cfs-param": key
        });
        input.addEventListener("input", function () {
          L[key] = readInt(input);
          self.update();
        });
        return h("td", {}, [input]);
      });
      var rm = h("button", {
        type: "button", "class": "cfs-button cfs-remove", "data-cfs-action": "remove",
        "aria-label": fill(T.removeLayer, { n: n }), text: "\u00D7"
      });
      rm.addEventListener("click", function () {
        var hadFocus = document.activeElement === rm;
        self.layers.splice(idx, 1);
        self.buildRows();
        self.update();
        // The focused button is gone: keep focus in the table (next row's button, else "add").
        var btns = self.tbody.querySelectorAll("button");
        if (hadFocus) (btns[Math.min(idx, btns.length - 1)] || self.addBtn).focus();
      });
      var tr = h("tr", { "data-cfs-row": String(n) },
        [h("th", { scope: "row", text: T.layer + " " + n })].concat(cells, computed(), [h("td", {}, [rm])]));
      tb.appendChild(tr);
      self.rowEls.push(tr);
    });
  };

  RFExplorer.prototype.rows = function () {
    return receptiveField(this.layers, this.size);
  };

  RFExplorer.prototype.update = function () {
    var T = STRINGS[this.lang], L = this.lang;
    var rows = this.rows();
    var lastValid = 0;
    rows.forEach(function (row, n) {
      var tr = this.rowEls[n];
      var tds = tr.querySelectorAll("td[data-cfs-col], td.cfs-reason");
      tr.classList.toggle("cfs-row-invalid", !row.valid);
      tr.setAttribute("data-cfs-valid", row.valid ? "true" : "false");
      // Rebuild the computed cells: four numbers, or one cell with the reason.
      var anchor = tds[0];
      var reasonCell = tr.querySelector("td.cfs-reason");
      if (row.valid) {
        if (reasonCell) {
          var fresh = ["output_size", "receptive_field", "jump", "start"].map(function (c) {
            return h("td", { "class": "cfs-num-cell", "data-cfs-col": c });
          });
          fresh.forEach(function (td) { tr.insertBefore(td, reasonCell); });
          tr.removeChild(reasonCell);
        }
        tr.querySelector('[data-cfs-col="output_size"]').textContent = num(row.output_size, L);
        tr.querySelector('[data-cfs-col="receptive_field"]').textContent = num(row.receptive_field, L);
        tr.querySelector('[data-cfs-col="jump"]').textContent = num(row.jump, L);
        tr.querySelector('[data-cfs-col="start"]').textContent = num(row.start, L);
        lastValid = n;
      } else {
        if (!reasonCell) {
          reasonCell = h("td", { colspan: 4, "class": "cfs-reason", "data-cfs-role": "invalid" });
          tr.insertBefore(reasonCell, anchor);
          Array.prototype.forEach.call(tr.querySelectorAll("td[data-cfs-col]"), function (td) { tr.removeChild(td); });
        }
        reasonCell.textContent = T.invalid + " " + reasonText(row.reason, L);
      }
    }, this);

    // Layer selector: every valid layer; keep the choice while it stays valid.
    var sel = this.layerSel;
    var want = this.sel.layer === null || this.sel.layer > lastValid ? lastValid : this.sel.layer;
    sel.textContent = "";
    for (var n = 0; n <= lastValid; n++) {
      sel.appendChild(h("option", { value: n, text: n === 0 ? T.inputRow : T.layer + " " + n }));
    }
    sel.value = String(want);
    this.shown = want;
    var valid = rows[0].valid;
    sel.disabled = !valid;
    var o = valid ? rows[want].output_size : 1;
    this.sel.r = clamp(this.sel.r, 0, o - 1);
    this.sel.c = clamp(this.sel.c, 0, o - 1);
    [this.rowInput, this.colInput].forEach(function (inp) {
      inp.max = o - 1;
      inp.disabled = !valid;
    });
    if (readInt(this.rowInput) !== this.sel.r) this.rowInput.value = this.sel.r;
    if (readInt(this.colInput) !== this.sel.c) this.colInput.value = this.sel.c;
    this.root.setAttribute("data-cfs-valid", rows.every(function (r) { return r.valid; }) ? "true" : "false");
    this.draw(rows, valid);
  };

  /** Runs [a, b] of consecutive integers in a sorted array. */
  function runs(sorted) {
    var out = [];
    sorted.forEach(function (v) {
      if (out.length && out[out.length - 1][1] === v - 1) out[out.length - 1][1] = v;
      else out.push([v, v]);
    });
    return out;
  }

  RFExplorer.prototype.draw = function (rows, valid) {
    var T = STRINGS[this.lang], L = this.lang, svg = this.svg;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    if (!valid) {
      this.fieldText.textContent = T.noField;
      svg.setAttribute("viewBox", "0 0 10 1");
      return;
    }
    var l = this.shown, row = rows[l], n = this.size;
    var half = (row.receptive_field - 1) / 2;
    var cr = row.start + this.sel.r * row.jump, cc = row.start + this.sel.c * row.jump;
    var r0 = cr - half, r1 = cr + half, c0 = cc - half, c1 = cc + half;
    var ir = influence(this.layers, rows, l, this.sel.r);
    var ic = influence(this.layers, rows, l, this.sel.c);
    // The view: the input plus as much of the field as hangs over its border.
    var lo = Math.min(0, r0, c0), hi = Math.max(n - 1, r1, c1);
    var span = hi - lo + 1;
    var stroke = Math.max(0.6, span / 60);
    svg.setAttribute("viewBox", [(lo - 0.5) * C, (lo - 0.5) * C, (span + 1) * C, (span + 1) * C].join(" "));
    svg.style.maxWidth = "28em";
    s("rect", { x: lo * C, y: lo * C, width: span * C, height: span * C, "class": "cfs-c-pad" }, svg);
    s("rect", { x: 0, y: 0, width: n * C, height: n * C, "class": "cfs-c-in" }, svg);
    var gInfl = s("g", { "class": "cfs-influence" }, svg);
    var rr = runs(ir), rc = runs(ic);
    rr.forEach(function (a) {
      rc.forEach(function (b) {
        s("rect", {
          x: b[0] * C, y: a[0] * C, width: (b[1] - b[0] + 1) * C, height: (a[1] - a[0] + 1) * C,
          "class": "cfs-c-infl"
        }, gInfl);
      });
    });
    if (span <= 64) {
      var g = s("g", { "class": "cfs-gridlines" }, svg);
      for (var t = lo; t <= hi + 1; t++) {
        s("line", { x1: lo * C, x2: (hi + 1) * C, y1: t * C, y2: t * C, "stroke-width": stroke / 2 }, g);
        s("line", { y1: lo * C, y2: (hi + 1) * C, x1: t * C, x2: t * C, "stroke-width": stroke / 2 }, g);
      }
    }
    s("rect", { x: 0, y: 0, width: n * C, height: n * C, "class": "cfs-input-border", "stroke-width": stroke }, svg);
    s("rect", {
      x: c0 * C, y: r0 * C, width: (c1 - c0 + 1) * C, height: (r1 - r0 + 1) * C,
      "class": "cfs-c-field", "stroke-width": stroke * 1.6
    }, svg);
    s("circle", { cx: (cc + 0.5) * C, cy: (cr + 0.5) * C, r: Math.max(1.5, stroke * 2), "class": "cfs-centre" }, svg);
    this.root.setAttribute("data-cfs-influence", ir.length * ic.length);
    this.fieldText.textContent = fill(T.fieldText, {
      r: num(this.sel.r, L), c: num(this.sel.c, L), l: l === 0 ? "0 (" + T.inputRow + ")" : num(l, L),
      rf: num(row.receptive_field, L), cr: num(cr, L), cc: num(cc, L),
      a: num(r0, L), b: num(r1, L), e: num(c0, L), f: num(c1, L), m: num(ir.length * ic.length, L)
    });
  };

  RFExplorer.prototype.setLang = function (lang) {
    this.lang = lang === "de" ? "de" : "en";
    this.build();
    this.update();
    this.retheme();
  };

  /* ------------------------------------------------------------------ */
  /* Mounting                                                            */
  /* ------------------------------------------------------------------ */

  var KINDS = { "conv-arithmetic": ConvExplorer, "receptive-field": RFExplorer };
  var mounted = typeof WeakMap === "function" ? new WeakMap() : null;

  /** Mount (once) the explorer named by opts.kind or el's data-cfs-explorer; returns its controller. */
  function mount(el, opts) {
    opts = opts || {};
    var kind = opts.kind || el.getAttribute("data-cfs-explorer");
    var Ctor = KINDS[kind];
    if (!Ctor) {
      throw new Error("CFSExplorers.mount: unknown explorer '" + kind + "' (use " +
        Object.keys(KINDS).join(" or ") + ")");
    }
    if (mounted && mounted.has(el)) return mounted.get(el);
    el.setAttribute("data-cfs-explorer", kind);
    var ctl = new Ctor(el, opts);
    if (mounted) mounted.set(el, ctl);
    el.setAttribute("data-cfs-mounted", "true");
    return ctl;
  }

  function mountAll(scope) {
    var nodes = (scope || document).querySelectorAll("[data-cfs-explorer]");
    return Array.prototype.map.call(nodes, function (el) { return mount(el); });
  }

  function get(el) {
    return mounted ? mounted.get(el) : undefined;
  }

  window.CFSExplorers = { mount: mount, mountAll: mountAll, get: get, arith: arith, strings: STRINGS };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { mountAll(); });
  } else {
    mountAll();
  }
})();
