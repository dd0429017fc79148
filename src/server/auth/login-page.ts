/** The login page: plain HTML, served without the UI build, so it works before and without it. */
const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function loginPage(options: { next: string; error?: string; username?: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Downbeat</title>
<style>
  body { font: 16px/1.4 system-ui, sans-serif; background: #f4f5f7; margin: 0; display: grid; place-items: center; min-height: 100vh; }
  form { background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px #0002; width: min(22rem, 90vw); }
  h1 { font-size: 1.4rem; margin: 0 0 1rem; }
  label { display: block; margin: .8rem 0 .3rem; font-weight: 600; }
  input { width: 100%; box-sizing: border-box; padding: .5rem; font: inherit; border: 1px solid #889; border-radius: 4px; }
  button { margin-top: 1.2rem; width: 100%; padding: .6rem; font: inherit; background: #1a5fb4; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
  :focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
  .error { color: #a51d2d; background: #fbe9eb; padding: .5rem; border-radius: 4px; }
</style>
</head>
<body>
<form method="post" action="/login" data-testid="login-form">
  <h1>Downbeat</h1>
  ${options.error ? `<p class="error" role="alert">${escape(options.error)}</p>` : ''}
  <input type="hidden" name="next" value="${escape(options.next)}">
  <label for="username">User name</label>
  <input id="username" name="username" autocomplete="username" value="${escape(options.username ?? '')}" required ${options.username ? '' : 'autofocus'}>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required ${options.username ? 'autofocus' : ''}>
  <button type="submit">Sign in</button>
</form>
</body>
</html>`;
}
