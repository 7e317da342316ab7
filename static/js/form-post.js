// The answer to an application that asked for response_mode=form_post: the
// form carries the code to the application; it is sent at once, and the
// button stays for browsers without JavaScript.
document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('oidc-form-post');
  if (form) form.submit();
});
