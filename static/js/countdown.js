// Counts down the "send the code again" buttons the server disabled during
// their cooldown (data-countdown = seconds left), then enables them. Without
// this script the page still works: the button's text gives the wait, and a
// reload after it shows the button enabled.
(function () {
  'use strict';
  var buttons = document.querySelectorAll('button[data-countdown]');
  Array.prototype.forEach.call(buttons, function (button) {
    var left = parseInt(button.getAttribute('data-countdown'), 10);
    var pattern = button.getAttribute('data-countdown-pattern') || '';
    var label = button.getAttribute('data-countdown-label') || button.textContent;
    var hint = document.getElementById(button.getAttribute('aria-describedby') || '');
    if (!(left > 0)) return;
    var end = Date.now() + left * 1000;
    var timer = setInterval(function () {
      var now = Math.ceil((end - Date.now()) / 1000);
      if (now > 0) {
        button.textContent = pattern.replace('{s}', String(now));
        return;
      }
      clearInterval(timer);
      button.textContent = label;
      button.disabled = false;
      button.removeAttribute('aria-describedby');
      if (hint) hint.hidden = true;
    }, 1000);
  });
})();
