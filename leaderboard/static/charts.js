// Draw every .vega-chart from its spec URL with vega-embed, served by this service.
// `ast: true` makes Vega interpret expressions instead of compiling them with eval, so the
// page runs under a Content-Security-Policy without 'unsafe-eval'.
//
// A spec is laid out for pictures (fixed widths, up to 1,640 px); here each chart is fitted to
// its box: single and layered charts take the box's width ("container"), the diff panels wrap
// into as many columns as fit, titles wrap into lines, and a heatmap too wide to read squeezed
// keeps its cells and scrolls inside its own focusable, labelled box. Colours follow the
// reader's light or dark scheme, and change when it changes.
//
// A chart is drawn as it comes near the screen, and the chart library (~300 kB gzipped, a
// second of a phone's time to start) is loaded with the first one: a page whose charts are
// below a long table shows the table without waiting for them.
(function () {
  // The library's URL and the page's words, in its language, on this script's element.
  var words = document.currentScript.dataset;
  var vegaUrl = words.vega;
  var vegaLoaded = null;
  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  var specs = {}; // spec URL -> promise of the spec, fetched once per scheme
  var drawn = []; // {node, view, width, dark}

  function isDark() {
    return Boolean(darkQuery && darkQuery.matches);
  }

  function specUrl(node) {
    var url = new URL(node.dataset.spec, window.location.href);
    if (isDark()) url.searchParams.set("theme", "dark");
    return url.toString();
  }

  function fetchSpec(url) {
    if (!specs[url]) {
      specs[url] = fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + r.statusText);
        return r.json();
      });
    }
    return specs[url];
  }

  // How wide `text` is drawn in `font` (a CSS font: "bold 16px Liberation Sans, …"): measured
  // on a canvas, in the fonts the chart is drawn in (a bold Latin capital is far wider than an
  // average letter); without a canvas, roughly: CJK characters a full em, others ~0.6.
  var measurer = document.createElement("canvas").getContext("2d");
  var LATIN = /[A-Za-z0-9.@()%+\-]/;

  function textWidth(text, font, size) {
    if (measurer) {
      measurer.font = font;
      return measurer.measureText(text).width;
    }
    var wide = (text.match(/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/g) || []).length;
    return size * (wide + 0.6 * (text.length - wide));
  }

  // Break one line into lines no wider than `width` px: at spaces, and inside a word (a run of
  // Chinese has no spaces) only when the word alone is too wide.
  function wrap(line, weight, size, family, width) {
    var font = weight + " " + size + "px " + family;
    function fits(text) {
      return textWidth(text, font, size) <= width;
    }
    var out = [];
    var current = "";
    line.split(/(\s+)/).forEach(function (word) {
      if (fits(current + word) || !current.trim()) {
        current += word;
      } else {
        out.push(current.trim());
        current = word.trim();
      }
      while (!fits(current) && current.length > 1) {
        var cut = current.length - 1;
        while (cut > 1 && !fits(current.slice(0, cut))) cut -= 1;
        // Not inside a Latin word or a number ("MML|U"): at the edge of the Chinese before it.
        var edge = cut;
        while (edge > 1 && LATIN.test(current[edge - 1]) && LATIN.test(current[edge])) edge -= 1;
        if (edge > 1) cut = edge;
        out.push(current.slice(0, cut));
        current = current.slice(cut);
      }
    });
    if (current.trim()) out.push(current.trim());
    return out;
  }

  function wrapTitle(spec, width) {
    var title = spec.title;
    if (!title || typeof title !== "object") return;
    var text = [].concat(title.text || []);
    var subtitle = [].concat(title.subtitle || []);
    var family = (spec.config && spec.config.font) || "sans-serif";
    var weight = title.fontWeight || "bold"; // Vega's titles are bold, their subtitles not
    title.text = [].concat.apply([], text.map(function (l) {
      return wrap(l, weight, title.fontSize || 16, family, width);
    }));
    title.subtitle = [].concat.apply([], subtitle.map(function (l) {
      return wrap(l, title.subtitleFontWeight || "normal", title.subtitleFontSize || 11, family,
        width);
    }));
  }

  function layers(spec) {
    var unit = spec.spec || spec;
    return unit.layer || [unit];
  }

  // Leave the bars at least half the width: long model names are cut with an ellipsis (the
  // tooltip and the table keep them whole).
  function limitLabels(spec, limit) {
    layers(spec).forEach(function (layer) {
      var y = layer.encoding && layer.encoding.y;
      if (y && y.axis && y.axis.labelLimit) y.axis.labelLimit = Math.min(y.axis.labelLimit, limit);
    });
  }

  // A tick label per ~100 px of plot: '6000 万美元' and '$10M' need the room.
  function spaceTicks(spec, plot) {
    layers(spec).forEach(function (layer) {
      var x = layer.encoding && layer.encoding.x;
      if (x && x.type === "quantitative" && x.axis !== null) {
        x.axis = x.axis || {};
        if (x.axis.tickCount === undefined) x.axis.tickCount = Math.max(2, Math.floor(plot / 100));
      }
    });
  }

  // A legend in a row wraps into as many columns as fit.
  function wrapLegends(spec, room) {
    layers(spec).forEach(function (layer) {
      var color = layer.encoding && layer.encoding.color;
      if (color && color.legend && color.legend.orient === "top") {
        color.legend.columns = Math.max(1, Math.floor(room / 170));
        color.legend.labelLimit = 150;
      }
    });
  }

  // A heatmap narrows its columns to fit, down to MIN_COLUMN px, the values cut with an
  // ellipsis (whole in the tooltip); past that it keeps its width and its box scrolls.
  // `around`: how much wider than its cells the heatmap is drawn (the model names on the left,
  // the slanted metric names over the right edge), a guess until a first drawing measures it.
  var MIN_COLUMN = 46;

  function fitHeatmap(spec, room, around) {
    var metrics = layers(spec)[0].encoding.x.sort || [];
    if (!metrics.length || spec.width <= room - around) return;
    var column = Math.max(MIN_COLUMN, Math.floor((room - around) / metrics.length));
    if (column * metrics.length >= spec.width) return;
    spec.width = column * metrics.length;
    layers(spec).forEach(function (layer) {
      if (layer.mark && layer.mark.type === "text" && layer.mark.limit) layer.mark.limit = column - 6;
    });
  }

  function isHeatmap(spec) {
    var x = layers(spec)[0].encoding && layers(spec)[0].encoding.x;
    return Boolean(x && x.type === "nominal");
  }

  function fit(spec, width, around) {
    spec = JSON.parse(JSON.stringify(spec));
    var room = width - 8; // Vega's own padding
    wrapTitle(spec, room);
    if (spec.facet) {
      // Diff panels: as many columns of at least 260 px as fit, each with its own axis labels.
      var labels = Math.min(200, Math.round(room * 0.35));
      limitLabels(spec, labels);
      var columns = Math.max(1, Math.min(spec.columns || 1, Math.floor(room / (labels + 300))));
      spec.columns = columns;
      spec.spec.width = Math.max(80, Math.floor(room / columns - labels - 48));
    } else if (isHeatmap(spec)) {
      fitHeatmap(spec, room, around || 300);
    } else {
      wrapLegends(spec, room);
      var limit = Math.max(90, Math.round(room * 0.4));
      limitLabels(spec, limit);
      spaceTicks(spec, room - limit);
      spec.width = "container";
      spec.autosize = { type: "fit-x", contains: "padding" };
    }
    return spec;
  }

  // A chart wider than its box scrolls inside it, and the box can then be reached and
  // scrolled with the keyboard. Vega names the box (role graphics-document) after the chart's
  // description: its title and the lines under it.
  function markScroll(node) {
    var svg = node.querySelector("svg");
    var wide = Boolean(svg && svg.getBoundingClientRect().width > node.clientWidth + 1);
    node.classList.toggle("chart-scrolls", wide);
    if (wide) node.setAttribute("tabindex", "0");
    else node.removeAttribute("tabindex");
  }

  // The embed snippet under a chart asks for a frame the chart fits in.
  function sizeSnippet(node) {
    var figure = node.closest("figure");
    var box = figure && figure.querySelector("textarea.embed-code");
    var svg = node.querySelector("svg");
    if (!box || !svg) return;
    var rect = svg.getBoundingClientRect();
    var width = Math.max(320, Math.ceil(rect.width) + 24);
    var height = Math.max(200, Math.ceil(rect.height) + 24);
    box.value = box.value
      .replace(/width="\d+"/, 'width="' + width + '"')
      .replace(/height="\d+"/, 'height="' + height + '"');
  }

  function embed(node, spec) {
    // No action menu and no injected default styles (embed, tooltip): they add inline
    // styles, which the page's CSP refuses; the page offers its own download menu.
    return window.vegaEmbed(node, spec, {
      ast: true,
      renderer: "svg",
      actions: false,
      defaultStyle: false,
      tooltip: { disableDefaultStyle: true },
    });
  }

  // What a first drawing measured: how much wider than its box the picture is, and how far
  // its marks (a value label past the longest bar, a wide legend) spill past the picture.
  function measure(node, width) {
    var svg = node.querySelector("svg");
    var inside = svg.getBBox();
    return {
      drawn: svg.getBoundingClientRect().width,
      excess: svg.getBoundingClientRect().width - width,
      spill: Math.max(0, inside.x + inside.width - svg.width.baseVal.value),
    };
  }

  // The chart once more, corrected by what its first drawing measured; null if it fits.
  function refit(spec, fitted, width, seen) {
    if (isHeatmap(spec)) {
      if (seen.excess <= 0 || typeof fitted.width !== "number") return null;
      return fit(spec, width, seen.drawn - fitted.width + 2);
    }
    if (seen.excess <= 0 && seen.spill <= 0) return null;
    var again = JSON.parse(JSON.stringify(fitted));
    if (again.facet) {
      var shrink = Math.ceil((Math.max(seen.excess, 0) + seen.spill) / again.columns) + 2;
      again.spec.width = Math.max(60, again.spec.width - shrink);
    } else {
      again.padding = { left: 5, top: 5, bottom: 5, right: 5 + Math.ceil(seen.spill) + 2 };
    }
    return again;
  }

  function loadVega() {
    if (window.vegaEmbed) return Promise.resolve();
    if (!vegaLoaded) {
      vegaLoaded = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = vegaUrl;
        script.onload = resolve;
        script.onerror = function () {
          vegaLoaded = null;
          reject(new Error(words.noLibrary));
        };
        document.head.appendChild(script);
      });
    }
    return vegaLoaded;
  }

  // A chart drawn again (the scheme or the width changed) while its last drawing is still on
  // its way: only the latest drawing may finish; an older one stops where it is.
  var turns = new WeakMap(); // node -> the number of its latest drawing
  var asked = new WeakMap(); // node -> whether its latest drawing is dark

  function draw(node) {
    var width = node.clientWidth;
    var dark = isDark();
    var turn = (turns.get(node) || 0) + 1;
    turns.set(node, turn);
    asked.set(node, dark);
    function stale() {
      return turns.get(node) !== turn;
    }
    return Promise.all([fetchSpec(specUrl(node)), loadVega()])
      .then(function (loaded) {
        if (stale()) return null;
        var spec = loaded[0];
        var fitted = fit(spec, width);
        return embed(node, fitted).then(function (result) {
          if (stale()) {
            result.view.finalize();
            return null;
          }
          var again = refit(spec, fitted, width, measure(node, width));
          if (!again) return result;
          result.view.finalize();
          return embed(node, again);
        });
      })
      .then(function (result) {
        if (!result) return;
        if (stale()) {
          result.view.finalize();
          return;
        }
        forget(node);
        drawn.push({ node: node, view: result.view, width: width, dark: dark });
        markScroll(node);
        sizeSnippet(node);
      })
      .catch(function (error) {
        if (stale()) return;
        node.textContent = words.failed.replace("{reason}", function () { return error.message; });
        node.classList.add("chart-error");
      });
  }

  function forget(node) {
    drawn = drawn.filter(function (d) {
      if (d.node !== node) return true;
      d.view.finalize();
      return false;
    });
  }

  // Draw again what no longer fits: another scheme, or a box that changed its width.
  function redraw() {
    drawn.slice().forEach(function (d) {
      // Against the latest drawing asked for, finished or not: dark then light again before
      // the dark one is done asks for light once more, and that one finishes last.
      if (asked.get(d.node) !== isDark() || Math.abs(d.node.clientWidth - d.width) > 24) {
        draw(d.node);
      }
      else markScroll(d.node);
    });
  }

  var charts = document.querySelectorAll(".vega-chart[data-spec]");
  if ("IntersectionObserver" in window) {
    var waiting = new Set(charts);
    var near = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        near.unobserve(entry.target);
        waiting.delete(entry.target);
        draw(entry.target);
      });
    }, { rootMargin: "300px 0px" });
    charts.forEach(function (node) { near.observe(node); });
    // Printing wants every chart: draw those still waiting (a chart not drawn in time for this
    // print is left off the paper by the print style, and is there for the next).
    window.addEventListener("beforeprint", function () {
      waiting.forEach(function (node) {
        near.unobserve(node);
        draw(node);
      });
      waiting.clear();
    });
  } else {
    charts.forEach(draw);
  }
  if (darkQuery) {
    if (darkQuery.addEventListener) darkQuery.addEventListener("change", redraw);
    else if (darkQuery.addListener) darkQuery.addListener(redraw);
  }
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(redraw, 200);
  });
  // Embed snippets name this page's own origin, as the browser knows it.
  document.querySelectorAll("textarea.embed-code").forEach(function (box) {
    box.value = box.value.replace('src="/', 'src="' + window.location.origin + "/");
  });
})();
