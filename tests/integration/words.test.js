// What members read, over HTTP against the real server and a real SMTP
// server running in New York time: moments in Paris time (portal.time_zone)
// and never a zone abbreviation, mail that names the network, says in its
// subject what happened and carries its main action as a button whose link
// is the text part's, page titles that name the page and the portal, the
// favicon, and the start-up refusal of a localhost sender with a real
// public URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Portier, Client } from '../support/portier.js';
import { SmtpSink } from '../support/smtp.js';
import { robotSolution } from '../support/robot.js';
import { escapeRegExp, parisDateTime } from '../support/display_time.js';

const ORG = 'Réseau Santé Val-de-Loire';
const PASSWORD = 'ruisseau-lanterne-hiver-42';
let smtp;
let portier;
let resetLink; // from the first test's mail, used by the second

before(async () => {
  smtp = await new SmtpSink().start();
  portier = new Portier({
    env: { TZ: 'America/New_York' },
    toml: [
      '[server]', 'public_url = "http://portail.test"',
      '[portal]', `name = "${ORG}"`,
      '[mail]', `smtp_url = "${smtp.url}"`, 'smtp_tls = "none"', 'from_address = "no-reply@portail.test"',
      'outbox_poll_interval = 1', 'smtp_timeout = 3',
      '[security]', 'robot_max_number = 1000',
    ],
  });
  portier.addUser({ identifier: 'claire.martin', email: 'claire@example.org', name: 'Claire Martin', password: PASSWORD });
  await portier.start();
});

after(async () => {
  await portier?.cleanup();
  await smtp?.stop();
});

const csrfOf = (html) => html.match(/name="csrf" value="([^"]+)"/)[1];
const titleOf = (html) => html.match(/<title>([^<]*)<\/title>/)[1].replace(/&#39;|&apos;/g, "'").replace(/&amp;/g, '&');
const noZone = (text, what) => assert.doesNotMatch(text, /\b(UTC|GMT|CET|CEST|EST|EDT)\b/, `${what}: no zone abbreviation`);

// The button of the HTML part: a real link styled as a button, then the same
// address written out for clients that strip styles.
function buttonOf(html) {
  const m = html.match(/<a class="button" href="([^"]+)"[^>]*>([^<]+)<\/a>/);
  assert.ok(m, 'the HTML part has a button');
  return { href: m[1].replace(/&amp;/g, '&'), label: m[2] };
}

test('a reset: the page and the mail give the expiry in Paris time, the mail names the network and has a button', async () => {
  const client = new Client(portier.url);
  const csrf = await client.csrf('/mot-de-passe-oublie');
  const altcha = await robotSolution(portier.url);
  const asked = Date.now();
  const r = await client.request('POST', '/mot-de-passe-oublie', { form: { csrf, target: 'claire.martin', altcha } });
  assert.equal(r.status, 303);

  const page = await client.get('/mot-de-passe-oublie/code');
  const shown = page.text.match(/data-testid="recovery-expires">([^<]+)</)[1];
  // One hour (recovery.lifetime) after the request, in Paris, whatever the server's New York TZ.
  const expected = [0, 1, 2].map((s) => parisDateTime(new Date(asked + 3600_000 + s * 1000)));
  assert.ok(expected.includes(shown), `"${shown}" is one of ${expected.join(' / ')}`);
  noZone(page.text, 'the page');

  const mail = await smtp.waitFor((m) => m.to === 'claire@example.org');
  const p = mail.parsed;
  assert.equal(p.subject, `Choisissez un nouveau mot de passe – ${ORG}`);
  assert.match(p.text, new RegExp(`valables 60 minutes, jusqu’au ${escapeRegExp(shown)}, et ne servent qu’une fois`));
  noZone(p.text, 'the text part');
  noZone(p.html, 'the HTML part');
  assert.match(p.html, new RegExp(ORG), 'the layout names the network');
  assert.match(p.text, new RegExp(`${ORG} – message automatique`), 'the signature names the network');

  const textLink = p.text.match(/(http:\/\/portail\.test\/mot-de-passe-oublie\/nouveau\?jeton=[\w-]+)/)[1];
  resetLink = textLink;
  const button = buttonOf(p.html);
  assert.equal(button.href, textLink, 'the button leads where the text part leads');
  assert.equal(button.label, 'Choisir un nouveau mot de passe');
  assert.ok(p.html.includes(`>${textLink}</a>`), 'the address is also written out below the button');
});

test('the reset done: the notice says what happened in its subject, the time is in Paris', async () => {
  assert.ok(resetLink, 'the first test kept the link');
  const phone = new Client(portier.url);
  const local = resetLink.replace('http://portail.test', '');
  const page = await phone.get(local);
  assert.equal(page.status, 200);
  smtp.clear();
  const NEW = 'garrigue-phare-tilleul-77';
  const before = Date.now();
  const r = await phone.request('POST', '/mot-de-passe-oublie/nouveau', { form: {
    csrf: csrfOf(page.text), type: 'lien', secret: local.split('jeton=')[1], new_password: NEW, confirm_password: NEW } });
  assert.equal(r.status, 303, r.text.slice(0, 2000));
  const notice = await smtp.waitFor((m) => m.to === 'claire@example.org');
  assert.equal(notice.parsed.subject, `Votre mot de passe a été changé – ${ORG}`);
  const when = [0, 1, 2, 3].map((s) => parisDateTime(new Date(before + s * 1000)));
  assert.ok(when.some((w) => notice.parsed.text.includes(`a été modifié le ${w}.`)), notice.parsed.text);
  noZone(notice.parsed.text, 'the notice');
});

test('every main page has its own title naming the page and the portal, and the favicon', async () => {
  const visitor = new Client(portier.url);
  const paths = ['/connexion', '/premiere-connexion', '/mot-de-passe-oublie', '/identifiant-oublie', '/assistance',
    '/mentions-legales', '/contact', '/carte-cps', '/page-qui-n-existe-pas'];
  const titles = new Map();
  for (const path of paths) {
    const r = await visitor.get(path);
    assert.ok(r.status === 200 || (path === '/page-qui-n-existe-pas' && r.status === 404), `${path}: ${r.status}`);
    const title = titleOf(r.text);
    assert.ok(title.endsWith(` – ${ORG}`), `${path}: "${title}" names the portal`);
    assert.ok(title.length > ` – ${ORG}`.length + 2, `${path}: "${title}" names the page`);
    titles.set(path, title);
    assert.match(r.text, /<link rel="icon" href="\/static\/favicon\.svg" type="image\/svg\+xml">/);
  }
  const member = new Client(portier.url);
  assert.equal((await member.signIn('claire.martin', 'garrigue-phare-tilleul-77')).status, 303);
  titles.set('/mon-espace', titleOf((await member.get('/mon-espace')).text));
  const seen = [...titles.values()];
  assert.equal(new Set(seen).size, seen.length, `distinct titles: ${seen.join(' | ')}`);
  assert.equal(titles.get('/connexion'), `Connexion – ${ORG}`);
  assert.equal(titles.get('/page-qui-n-existe-pas'), `Page introuvable – ${ORG}`);

  for (const [file, type] of [['favicon.svg', 'image/svg+xml'], ['favicon.png', 'image/png'], ['favicon-180.png', 'image/png']]) {
    const r = await visitor.get(`/static/${file}`);
    assert.equal(r.status, 200, file);
    assert.equal(r.headers.get('content-type'), type);
    assert.match(r.headers.get('cache-control'), /public, max-age=\d+/);
  }
});

test('English pages name the page and the portal too', async () => {
  const visitor = new Client(portier.url);
  const r = await visitor.request('GET', '/connexion', { headers: { 'accept-language': 'en' } });
  assert.equal(titleOf(r.text), `Sign in – ${ORG}`);
});

test('portier refuses to start with a sender at localhost when the public URL is real', () => {
  const refused = new Portier({ env: { PORTIER_PUBLIC_URL: 'https://portail.example' } });
  try {
    const r = refused.cli(['user', 'list']);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /mail\.from_address: 'no-reply@localhost' is an address at this machine, but server\.public_url \(https:\/\/portail\.example\) is not/);
    const fine = new Portier({ env: { PORTIER_PUBLIC_URL: 'https://portail.example', PORTIER_MAIL_FROM: 'no-reply@portail.example' } });
    try {
      assert.equal(fine.cli(['user', 'list']).status, 0, 'a sender of the domain starts');
    } finally {
      fine.cleanup();
    }
  } finally {
    refused.cleanup();
  }
});
