// Recovery codes page: print, copy and save as a text file. Progressive
// enhancement: without this script the codes stay in a selectable <pre>
// and the browser's own print works. The file is made here from the codes
// on screen, so the server never keeps a copy of them to serve.
(function () {
  'use strict';
  var actions = document.querySelector('[data-codes-actions]');
  var pre = document.querySelector('pre.recovery-codes');
  if (!actions || !pre) return;
  var status = document.querySelector('[data-codes-status]');
  var codes = pre.textContent.trim();

  function say(text) { if (status) status.textContent = text; }

  function copy() {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(codes).then(function () { say(actions.dataset.copied); },
                                                function () { selectCodes(); say(actions.dataset.copyFailed); });
    } else {
      selectCodes();
      say(actions.dataset.copyFailed);
    }
  }

  // Leaves the codes selected so that Ctrl+C (or the menu) copies them.
  function selectCodes() {
    var range = document.createRange();
    range.selectNodeContents(pre);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  function download() {
    var text = actions.dataset.fileHeading + '\r\n\r\n' + codes.split(/\s+/).join('\r\n') + '\r\n';
    var url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    var a = document.createElement('a');
    a.href = url;
    a.download = actions.dataset.fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  actions.addEventListener('click', function (e) {
    var button = e.target.closest('button[data-action]');
    if (!button) return;
    var what = button.dataset.action;
    if (what === 'print') window.print();
    else if (what === 'copy') copy();
    else if (what === 'download') download();
  });
  actions.hidden = false;
})();
