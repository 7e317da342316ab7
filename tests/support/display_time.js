// Moments as portier shows them (src/common/display_time.h), computed here
// independently with Intl in the Europe/Paris zone, so that tests do not
// depend on the time zone of the machine that runs them.
const NBSP = '\u00a0';

function parisParts(date) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Paris', hourCycle: 'h23', hour: 'numeric', minute: '2-digit', weekday: 'long', day: 'numeric', month: 'numeric', year: 'numeric',
  }).formatToParts(date);
  const get = (type) => parts.find((p) => p.type === type).value;
  return { hour: Number(get('hour')), minute: Number(get('minute')), day: Number(get('day')), month: Number(get('month')), year: Number(get('year')), weekday: get('weekday') };
}

const frDays = { Sunday: 'dimanche', Monday: 'lundi', Tuesday: 'mardi', Wednesday: 'mercredi', Thursday: 'jeudi', Friday: 'vendredi', Saturday: 'samedi' };
const frMonths = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

// "13 h 30", "9 h" (no-break spaces).
export function parisTimeOfDay(date) {
  const { hour, minute } = parisParts(date);
  return minute === 0 ? `${hour}${NBSP}h` : `${hour}${NBSP}h${NBSP}${String(minute).padStart(2, '0')}`;
}

// "jeudi 3 décembre à 13 h 30"; the year only when it is not this year's.
export function parisDateTime(date, now = new Date()) {
  const { day, month, year, weekday } = parisParts(date);
  const shownYear = year === parisParts(now).year ? '' : ` ${year}`;
  return `${frDays[weekday]} ${day}${day === 1 ? 'er' : ''} ${frMonths[month - 1]}${shownYear} à ${parisTimeOfDay(date)}`;
}

// A moment as <input type=date> and <input type=time> send it, on the Paris
// wall clock: { date: "2026-12-03", time: "14:30" }.
export function parisDateInputs(date) {
  const { day, month, year, hour, minute } = parisParts(date);
  const two = (n) => String(n).padStart(2, '0');
  return { date: `${year}-${two(month)}-${two(day)}`, time: `${two(hour)}:${two(minute)}` };
}

export function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Any French date and time as portier writes it ("jeudi 3 décembre à 13 h 30",
// "lundi 1er décembre 2025 à 9 h"), for tests that only check the shape.
export const FRENCH_DATE_TIME = '(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \\d{1,2}(?:er)? [a-zéû]+(?: \\d{4})? à \\d{1,2}\u00a0h(?:\u00a0\\d{2})?';
