// Where a password is chosen: ticks the rules of the checklist
// (_password_checklist.mustache) as she types, and adds a "show password"
// button. Progressive enhancement: without this script the rules read as a
// plain list, the fields stay masked, and the server judges as always (it
// alone knows the word lists and the guessability estimate).
(function () {
  'use strict';

  // Her own words of 4 letters or more, split on ASCII punctuation as the
  // server splits them (credential/password_policy.cpp); compared in lower
  // case, shown as she spells them.
  function wordsOf(text) {
    return (text || '').split(/[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+/)
      .filter(function (w) { return Array.from(w).length >= 4; });
  }

  function setState(item, met, list) {
    if (!item) return;
    item.classList.toggle('rule-met', met === true);
    item.classList.toggle('rule-unmet', met === false);
    var state = item.querySelector('.rule-state');
    if (state) state.textContent = met === null ? '' : ' (' + (met ? list.dataset.met : list.dataset.unmet) + ')';
  }

  function enhance(list) {
    var form = list.closest('form');
    var field = document.getElementById(list.dataset.for);
    var confirm = document.getElementById(list.dataset.confirm);
    if (!form || !field) return;
    var min = parseInt(list.dataset.min, 10) || 0;
    var fixedWords = wordsOf(list.dataset.words);
    var wordFields = (list.dataset.wordFields || '').split(/\s+/).filter(Boolean)
      .map(function (id) { return document.getElementById(id); }).filter(Boolean);

    function update() {
      var pw = field.value.normalize ? field.value.normalize('NFKC') : field.value;
      var typed = pw.length > 0;
      var length = Array.from(pw).length;
      setState(list.querySelector('[data-rule="length"]'), typed ? length >= min : null, list);

      var words = fixedWords.slice();
      wordFields.forEach(function (f) {
        var v = f.type === 'email' ? f.value.split('@')[0] : f.value;
        words = words.concat(wordsOf(v));
      });
      var lower = pw.toLowerCase();
      var found = words.filter(function (w) { return lower.indexOf(w.toLowerCase()) !== -1; })[0];
      var context = list.querySelector('[data-rule="context"]');
      setState(context, typed ? !found : null, list);
      var detail = context && context.querySelector('.rule-detail');
      if (detail) detail.textContent = found ? ' ' + list.dataset.contains.replace('{word}', found) : '';

      if (confirm) {
        setState(list.querySelector('[data-rule="match"]'),
                 confirm.value.length ? confirm.value === field.value : null, list);
      }
    }
    field.addEventListener('input', update);
    if (confirm) confirm.addEventListener('input', update);
    wordFields.forEach(function (f) { f.addEventListener('input', update); });
    list.classList.add('is-live');
    update();

    // One button shows or masks both fields (the new password and its
    // confirmation); a toggle button, so its name stays and aria-pressed says.
    var fields = [field, confirm].filter(Boolean);
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'link-button reveal-button';
    button.textContent = list.dataset.show;
    button.setAttribute('aria-pressed', 'false');
    button.setAttribute('aria-controls', fields.map(function (f) { return f.id; }).join(' '));
    button.setAttribute('data-testid', 'password-reveal');
    button.addEventListener('click', function () {
      var show = button.getAttribute('aria-pressed') !== 'true';
      fields.forEach(function (f) { f.type = show ? 'text' : 'password'; });
      button.setAttribute('aria-pressed', show ? 'true' : 'false');
    });
    // Masked again before sending: the browser must not keep a visible
    // password in its form history.
    form.addEventListener('submit', function () {
      fields.forEach(function (f) { f.type = 'password'; });
    });
    var after = (confirm || field).closest('.field') || (confirm || field);
    after.parentNode.insertBefore(button, after.nextSibling);
  }

  Array.prototype.forEach.call(document.querySelectorAll('[data-password-rules]'), enhance);
})();
