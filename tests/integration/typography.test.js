// French typography of every French string portier shows or mails: the
// typographic apostrophe, a non-breaking space before « : ; ? ! » and inside
// guillemets, and real plural forms instead of "(s)". Checked on the files the
// server reads (templates/i18n/*fr.json, templates/mail/*/*.fr.mustache), so a
// new string that breaks a rule fails here with its key and text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NBSP = '\u00a0\u202f';

// The prose of a string: mustache tags, HTML tags, entities other than
// &nbsp;, {placeholders} and URLs are not French text.
function prose(text) {
  return text
    .replaceAll('&nbsp;', '\u00a0')
    .replace(/\{\{[^}]*\}\}\}?|<[^>]*>|&[a-z#0-9]+;|\{[a-z_]+\}|https?:\/\/\S+/g, '\u0000');
}

export function typographyProblems(text) {
  const t = prose(text);
  const problems = [];
  if (/\w'\w?/.test(t)) problems.push('straight apostrophe (use ’)');
  if (/ [:;?!]/.test(t)) problems.push('ordinary space before : ; ? ! (use a non-breaking one)');
  if (/[\p{L}\p{N})»][;?!]/u.test(t) || /[\p{L})»]:(\s|$)/u.test(t)) problems.push('no space before : ; ? !');
  if (/«(?![\u00a0\u202f])/.test(t) || /(?<![\u00a0\u202f])»/.test(t)) problems.push('guillemets without non-breaking spaces');
  if (/\(s\)|\(es\)|\(x\)/.test(t)) problems.push('"(s)" instead of a plural form');
  return problems;
}

function frenchStrings() {
  const out = [];
  const i18n = join(root, 'templates', 'i18n');
  for (const f of readdirSync(i18n).filter((f) => f === 'fr.json' || f.endsWith('.fr.json'))) {
    for (const [key, value] of Object.entries(JSON.parse(readFileSync(join(i18n, f), 'utf8'))))
      if (typeof value === 'string') out.push([`${f} ${key}`, value]);
  }
  const mail = join(root, 'templates', 'mail');
  for (const kind of readdirSync(mail, { withFileTypes: true }).filter((d) => d.isDirectory()))
    for (const f of readdirSync(join(mail, kind.name)).filter((f) => f.endsWith('.fr.mustache')))
      out.push([`mail/${kind.name}/${f}`, readFileSync(join(mail, kind.name, f), 'utf8')]);
  return out;
}

test('the checker sees each rule broken and accepts the right form', () => {
  assert.deepEqual(typographyProblems('Votre code\u00a0: l’assistance ne le demandera jamais\u202f!'), []);
  assert.deepEqual(typographyProblems('« Mot de passe oublié »'), ['guillemets without non-breaking spaces']);
  assert.ok(typographyProblems("l'assistance").length === 1);
  assert.ok(typographyProblems('Erreur :').length === 1);
  assert.ok(typographyProblems('Erreur: oui').length === 1);
  assert.ok(typographyProblems('{count} compte(s)').length === 1);
  assert.deepEqual(typographyProblems('<a href="https://x.fr/a?b=c">lien</a> à {{{expires}}}'), []);
});

test('every French string follows French typography', () => {
  const bad = [];
  for (const [where, text] of frenchStrings()) {
    const problems = typographyProblems(text);
    if (problems.length) bad.push(`${where}: ${problems.join(', ')}\n    ${text.slice(0, 160).replaceAll('\n', ' ')}`);
  }
  assert.equal(bad.length, 0, `French typography:\n${bad.join('\n')}`);
});
