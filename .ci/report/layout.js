// Layout checks, run in the browser on a copy of report.html with this script at its end.
// Before it, the copy may set window.PDF_TEXT_B64, report.pdf's text (pdftotext -layout) in
// base64, or window.PDF_TEXT, the same text as a string. The results are written into the
// page, for --dump-dom:
//   the body's data-layout-problems="N", and a pre (id layout-check) with one problem a line:
//   - "overlap in chart C: A / B": two text boxes of one chart overlap;
//   - "outside chart C: A": a text box reaches out of its chart;
//   - "overlap on the page: A / B": two blocks of the page (headings, paragraphs, tables,
//     figures, lists), children of one parent, overlap;
//   - "off the page: A": a block reaches past the page's right edge;
//   - "not in the PDF: heading H": a heading of the page is not in the PDF's text;
//   - "not in the PDF: verdict R: V": a row of a table whose last column is "verdict" has no
//     line of the PDF's text holding the start of its first cell and ending with the start of
//     its verdict.
// Boxes that share an edge, or cross by less than a pixel, do not count.
(function () {
  var problems = [];
  var TOL = 1;
  function box(el) { return el.getBoundingClientRect(); }
  function crosses(a, b) {
    var w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    var h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    return w > TOL && h > TOL;
  }
  function empty(r) { return r.width < 0.5 || r.height < 0.5; }
  function name(el) {
    var t = (el.textContent || '').replace(/\s+/g, ' ').trim();
    if (t.length > 40) t = t.slice(0, 40) + '...';
    var tag = el.tagName.toLowerCase();
    return tag + (t ? ' "' + t + '"' : '');
  }

  // Every chart: its text boxes, pairwise, and against the chart's own box.
  document.querySelectorAll('svg').forEach(function (svg) {
    if (svg.parentElement && svg.parentElement.closest('svg')) return;
    var chart = (svg.closest('figure') || svg).getAttribute('data-chart') || '(unnamed)';
    var frame = box(svg);
    var texts = Array.prototype.filter.call(svg.querySelectorAll('text'), function (t) {
      return t.textContent.trim() !== '' && !empty(box(t));
    });
    var boxes = texts.map(box);
    for (var i = 0; i < texts.length; i++) {
      var r = boxes[i];
      if (r.left < frame.left - TOL || r.right > frame.right + TOL ||
          r.top < frame.top - TOL || r.bottom > frame.bottom + TOL) {
        problems.push('outside chart ' + chart + ': ' + name(texts[i]));
      }
      for (var j = i + 1; j < texts.length; j++) {
        if (crosses(r, boxes[j])) {
          problems.push('overlap in chart ' + chart + ': ' + name(texts[i]) + ' / ' + name(texts[j]));
        }
      }
    }
  });

  // The page's blocks: the children of each element that are laid out as blocks.
  var BLOCK = /^(block|flex|grid|list-item|table|flow-root)$/;
  var right = document.documentElement.clientWidth;
  function blocks(parent) {
    return Array.prototype.filter.call(parent.children, function (el) {
      if (el.closest('svg') || /^(SCRIPT|STYLE)$/.test(el.tagName)) return false;
      var s = getComputedStyle(el);
      return BLOCK.test(s.display) && s.visibility !== 'hidden' && !empty(box(el));
    });
  }
  (function walk(parent) {
    var kids = blocks(parent);
    var boxes = kids.map(box);
    for (var i = 0; i < kids.length; i++) {
      if (boxes[i].right > right + TOL) problems.push('off the page: ' + name(kids[i]));
      for (var j = i + 1; j < kids.length; j++) {
        if (crosses(boxes[i], boxes[j])) {
          problems.push('overlap on the page: ' + name(kids[i]) + ' / ' + name(kids[j]));
        }
      }
    }
    kids.forEach(function (k) { if (k.tagName !== 'svg') walk(k); });
  })(document.body);

  // The PDF's text: every heading, and every verdict on the line of its row.
  var text = window.PDF_TEXT;
  if (text === undefined && window.PDF_TEXT_B64 !== undefined) {
    var bytes = Uint8Array.from(atob(window.PDF_TEXT_B64), function (c) { return c.charCodeAt(0); });
    text = new TextDecoder('utf-8').decode(bytes);
  }
  if (text !== undefined) {
    var lines = text.split('\n').map(function (l) { return l.replace(/\s+/g, ' ').trim(); });
    var flat = lines.join(' ').replace(/\s+/g, ' ');
    function squash(s) { return s.replace(/\s+/g, ' ').trim(); }
    document.querySelectorAll('h1, h2, h3, h4').forEach(function (h) {
      var t = squash(h.textContent);
      if (t && flat.indexOf(t) < 0) problems.push('not in the PDF: heading ' + t);
    });
    document.querySelectorAll('table').forEach(function (table) {
      var rows = table.querySelectorAll('tr');
      if (!rows.length) return;
      var head = rows[0].querySelectorAll('th');
      if (!head.length || squash(head[head.length - 1].textContent).toLowerCase() !== 'verdict') return;
      for (var i = 1; i < rows.length; i++) {
        var cells = rows[i].querySelectorAll('td, th');
        if (cells.length < 2) continue;
        // The first cell's first word, or its part to a hyphen, where a line may break.
        var first = squash(cells[0].textContent).split(' ')[0].replace(/-.*/, '-');
        var verdict = squash(cells[cells.length - 1].textContent).split(' ');
        // The row's first line: the start of its first cell, and at its end the verdict's
        // first words (the rest may wrap onto the next lines).
        var found = lines.some(function (l) {
          var at = l.indexOf(first);
          if (at < 0) return false;
          for (var k = verdict.length; k >= 1; k--) {
            var end = ' ' + verdict.slice(0, k).join(' ');
            if (l.length - end.length >= at + first.length && l.slice(-end.length) === end) return true;
          }
          return false;
        });
        if (!found) {
          problems.push('not in the PDF: verdict ' + squash(cells[0].textContent) + ': ' + squash(cells[cells.length - 1].textContent));
        }
      }
    });
    document.body.setAttribute('data-pdf-checked', 'yes');
  }

  var pre = document.createElement('pre');
  pre.id = 'layout-check';
  pre.textContent = problems.join('\n');
  document.body.appendChild(pre);
  document.body.setAttribute('data-layout-problems', String(problems.length));
})();
