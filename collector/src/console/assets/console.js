// Tally console: the little the server cannot do. Works without it (the
// search form filters on the server; the enabled columns are shown).
(function () {
  'use strict';

  // Actions that change billing ask first (the server never relies on it).
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // Instant filter of the company tree: a company stays when its name
  // matches or one below it does (so the path to a match stays visible).
  var input = document.getElementById('company-filter');
  var tree = document.getElementById('company-tree');
  var status = document.getElementById('company-filter-status');
  if (input && tree && tree.tagName === 'UL') {
    var apply = function () {
      var q = input.value.trim().toLowerCase();
      var matches = 0;
      var total = 0;
      var visit = function (li) {
        total++;
        var self = q === '' || (li.getAttribute('data-name') || '').indexOf(q) !== -1;
        var below = false;
        var sub = li.querySelector(':scope > ul');
        if (sub) {
          for (var i = 0; i < sub.children.length; i++) if (visit(sub.children[i])) below = true;
        }
        if (q !== '' && self) matches++;
        li.classList.toggle('match', q !== '' && self);
        li.hidden = !(self || below);
        return self || below;
      };
      for (var i = 0; i < tree.children.length; i++) visit(tree.children[i]);
      if (status) status.textContent = q === '' ? total + ' companies.' : matches + ' of ' + total + ' companies match \u201c' + input.value.trim() + '\u201d.';
    };
    input.addEventListener('input', apply);
  }

  // Show/hide columns of the usage table. By default the add-on columns "Not
  // enabled" for every company shown are hidden (the server renders them so);
  // the admin's own choice is remembered in localStorage and wins.
  var panel = document.getElementById('column-toggles');
  var table = document.getElementById('usage-table');
  if (panel && table) {
    var KEY = 'tally.console.hiddenColumns';
    var boxes = panel.querySelectorAll('input[type="checkbox"][data-col]');
    var defaults = [];
    for (var d = 0; d < boxes.length; d++) if (boxes[d].getAttribute('data-default-hidden') === 'true') defaults.push(boxes[d].getAttribute('data-col'));
    var hidden = defaults.slice();
    try {
      var saved = JSON.parse(window.localStorage.getItem(KEY) || 'null');
      if (Array.isArray(saved)) hidden = saved.filter(function (x) { return typeof x === 'string'; });
    } catch (e) { hidden = defaults.slice(); }
    var render = function () {
      var cells = table.querySelectorAll('[data-col]');
      for (var i = 0; i < cells.length; i++) {
        cells[i].classList.toggle('col-hidden', hidden.indexOf(cells[i].getAttribute('data-col')) !== -1);
      }
      for (var j = 0; j < boxes.length; j++) boxes[j].checked = hidden.indexOf(boxes[j].getAttribute('data-col')) === -1;
    };
    var save = function () {
      try { window.localStorage.setItem(KEY, JSON.stringify(hidden)); } catch (e) { /* private mode: not remembered */ }
    };
    for (var k = 0; k < boxes.length; k++) {
      boxes[k].addEventListener('change', function (ev) {
        var col = ev.target.getAttribute('data-col');
        hidden = hidden.filter(function (x) { return x !== col; });
        if (!ev.target.checked) hidden.push(col);
        save();
        render();
      });
    }
    var all = document.getElementById('columns-all');
    if (all) all.addEventListener('click', function () { hidden = []; save(); render(); });
    var reset = document.getElementById('columns-reset');
    if (reset) reset.addEventListener('click', function () {
      hidden = defaults.slice();
      try { window.localStorage.removeItem(KEY); } catch (e) { /* nothing to forget */ }
      render();
    });
    panel.hidden = false;
    render();
  }
})();
