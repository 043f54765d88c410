// The door's words on the organizer and venue pages: the catalogue of the
// door's language (config/i18n/<lang>.toml, the kiosk's own), which the
// door puts in below when it serves this file. t('English') translates,
// tn(n, 'one', 'other') picks the plural form by the catalogue's
// plural_forms (gettext's rule, read here, never eval'd), both format
// printf's way (%s, %d, %%, %2$s). Elements marked data-t have their text
// translated, and data-t-attr="placeholder aria-label" those attributes.
'use strict';
(() => {
  const cat = /*CATALOGUE*/null || {};
  const strings = cat.strings || {};
  const plurals = cat.plurals || {};

  function format(pattern, args) {
    let next = 0;
    return pattern.replace(/%(?:(\d+)\$)?([sd%])/g, (all, pos, c) => {
      if (c === '%') return '%';
      const i = pos ? Number(pos) - 1 : next++;
      return i < args.length ? String(args[i]) : '';
    });
  }

  // gettext's plural expression: C's ?: || && == != < > <= >= + - * / % !
  // over n, parsed into closures (a config file's text is never evaluated).
  function compile(expr) {
    const tokens = expr.match(/\s*(\d+|n|\|\||&&|==|!=|<=|>=|[-+*\/%<>!?:()])/g) || [];
    if (tokens.join('').replace(/\s/g, '') !== expr.replace(/\s/g, '')) return null;
    let i = 0;
    const peek = () => (tokens[i] || '').trim();
    const take = () => (tokens[i++] || '').trim();
    const level = (ops, next) => () => {
      let left = next();
      while (ops.includes(peek())) {
        const op = take(), l = left, r = next();
        const f = {
          '||': (n) => (l(n) || r(n) ? 1 : 0), '&&': (n) => (l(n) && r(n) ? 1 : 0),
          '==': (n) => (l(n) === r(n) ? 1 : 0), '!=': (n) => (l(n) !== r(n) ? 1 : 0),
          '<': (n) => (l(n) < r(n) ? 1 : 0), '>': (n) => (l(n) > r(n) ? 1 : 0),
          '<=': (n) => (l(n) <= r(n) ? 1 : 0), '>=': (n) => (l(n) >= r(n) ? 1 : 0),
          '+': (n) => l(n) + r(n), '-': (n) => l(n) - r(n), '*': (n) => l(n) * r(n),
          '/': (n) => (r(n) ? Math.floor(l(n) / r(n)) : 0), '%': (n) => (r(n) ? l(n) % r(n) : 0),
        }[op];
        left = f;
      }
      return left;
    };
    let ternary;
    const primary = () => {
      const tok = take();
      if (tok === '!') { const a = primary(); return (n) => (a(n) ? 0 : 1); }
      if (tok === 'n') return (n) => n;
      if (/^\d+$/.test(tok)) { const v = Number(tok); return () => v; }
      if (tok === '(') { const e = ternary(); if (take() !== ')') throw new Error(')'); return e; }
      throw new Error('unexpected ' + tok);
    };
    const product = level(['*', '/', '%'], primary);
    const sum = level(['+', '-'], product);
    const relation = level(['<=', '>=', '<', '>'], sum);
    const equality = level(['==', '!='], relation);
    const and = level(['&&'], equality);
    const or = level(['||'], and);
    ternary = () => {
      const c = or();
      if (peek() !== '?') return c;
      take();
      const a = ternary();
      if (take() !== ':') throw new Error(':');
      const b = ternary();
      return (n) => (c(n) ? a(n) : b(n));
    };
    try {
      const f = ternary();
      return i === tokens.length ? f : null;
    } catch (e) {
      return null;
    }
  }

  const m = /plural\s*=\s*([^;]+)/.exec(cat.plural_forms || '');
  const rule = (m && compile(m[1])) || ((n) => (n !== 1 ? 1 : 0));

  const t = (english, ...args) => format(strings[english] || english, args);
  const tn = (n, one, other, ...args) => {
    const forms = plurals[one];
    const text = forms ? forms[Math.min(rule(Math.abs(n)), forms.length - 1)] : n === 1 ? one : other;
    return format(text, [n, ...args]);
  };

  function translate(root) {
    for (const e of root.querySelectorAll('[data-t]')) e.textContent = t(e.textContent.trim().replace(/\s+/g, ' '));
    for (const e of root.querySelectorAll('[data-t-attr]'))
      for (const a of e.getAttribute('data-t-attr').split(/\s+/))
        if (e.hasAttribute(a)) e.setAttribute(a, t(e.getAttribute(a)));
  }

  document.documentElement.lang = cat.language || 'en';
  translate(document);
  window.fdWords = { t, tn, format, language: cat.language || 'en' };
})();
