// Mon espace: opens the folded setting that the address points into
// (/mon-espace#codes, the links of the summary, the anchors of older mails),
// for browsers that do not open a <details> on their own when its content
// is the target. Without this script the folds still open with a click.
(function () {
  'use strict';
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var target = document.getElementById(id);
    if (!target) return;
    var fold = target.closest('details');
    if (fold && !fold.open) {
      fold.open = true;
      target.scrollIntoView();
    }
  }
  openTarget();
  window.addEventListener('hashchange', openTarget);

  // A confirmation takes the focus, so a screen reader reads it at once.
  // The notice's autofocus does that too, but browsers skip autofocus when
  // the address has a fragment (…?info=phone_saved#codes), and the scroll to
  // the fragment, after "load", drops the focus: so once that is done.
  var notice = document.querySelector('.notice[tabindex="-1"]');
  if (notice) {
    window.addEventListener('load', function () {
      setTimeout(function () { notice.focus(); }, 0);
    });
  }
})();
