// The Nova driver app. Plain JavaScript modules, no framework, no build step.
// Rules this file keeps:
// - No token is ever stored where page scripts can read it: the session is an httpOnly cookie set by
//   POST /v1/session; the CSRF value lives in memory only. sessionStorage holds, only between the
//   redirect to the identity provider and the return, the sign-in's state, PKCE verifier and the
//   driver's unfinished form; it is removed on return.
// - Every value from the API or the identity provider is rendered with textContent, never as markup.
// - The only address written here is /v1/config (this page's own origin); everything else comes from it.

const DEFAULTS = Object.freeze({ apiBaseUrl: '/', features: { redemptions: true }, identity: null });
const CONFIG_TIMEOUT_MS = 3000;
const IDP_TIMEOUT_MS = 10000;
const PENDING = 'nova.sign-in';
const STATEMENT_DAYS = 90;
const STATEMENT_PAGE = 10;

const $ = (id) => document.getElementById(id);
const locale = navigator.languages && navigator.languages.length ? navigator.languages : undefined;
const points = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
const signed = new Intl.NumberFormat(locale, { maximumFractionDigits: 0, signDisplay: 'exceptZero' });
const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });

const app = {
  config: DEFAULTS,
  api: new URL('/', location.origin),
  session: null, // { subject, csrfToken, expiresAt }
  attempt: null, // the redemption being confirmed: { merchantId, amount, key }
  statementCursor: null, // the page of the statement shown (null: the first)
};

/** A refusal or failure the driver should read: the problem's detail and its request id. */
class Failure extends Error {
  constructor(detail, requestId, status, type) {
    super(detail);
    this.requestId = requestId || null;
    this.status = status || 0;
    this.type = type || null;
  }
}

/** The session cookie is missing, expired or signed out. */
class SessionEnded extends Error {}

// ---------- configuration (P1-6): fetched on load, built-in defaults when it fails or is slow ----------

async function loadConfig() {
  try {
    // no-cache: the browser revalidates its copy with If-None-Match and takes a 304 as that copy.
    const res = await fetch(new URL('/v1/config', location.origin), {
      cache: 'no-cache', headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(CONFIG_TIMEOUT_MS),
    });
    if (!res.ok) {
      throw new Error('status ' + res.status);
    }
    const config = await res.json();
    if (typeof config.apiBaseUrl !== 'string') {
      throw new Error('no apiBaseUrl');
    }
    app.config = { ...DEFAULTS, ...config, features: { ...DEFAULTS.features, ...(config.features || {}) } };
  } catch (e) {
    app.config = DEFAULTS;
    notice('Settings could not be loaded; the app is using its built-in defaults.');
  }
  const base = new URL(app.config.apiBaseUrl, location.origin);
  app.api = new URL(base.pathname.endsWith('/') ? base.href : base.href + '/');
}

function notice(text) {
  $('notice').hidden = false; // shown first, so screen readers announce the change of a live region they know
  $('notice').textContent = text;
}

// ---------- calling the API ----------

async function api(method, path, { body, key } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && app.session && app.session.csrfToken) {
    headers['X-CSRF-Token'] = app.session.csrfToken;
  }
  if (key) {
    headers['Idempotency-Key'] = key;
  }
  let res;
  try {
    res = await fetch(new URL(path.replace(/^\//, ''), app.api), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
      credentials: app.api.origin === location.origin ? 'same-origin' : 'include',
    });
  } catch (e) {
    throw new Failure('Nova could not be reached. Check your connection and try again.');
  }
  if (res.status === 401) {
    throw new SessionEnded();
  }
  if (!res.ok) {
    let problem = null;
    try {
      problem = await res.json();
    } catch (e) {
      // not problem+json: say what we know
    }
    throw new Failure((problem && problem.detail) || 'Nova answered ' + res.status + '.',
        (problem && problem.requestId) || res.headers.get('X-Request-ID'), res.status, problem && problem.type);
  }
  return res.status === 204 ? null : res.json();
}

function showError(e) {
  if (e instanceof SessionEnded) {
    sessionEnded();
    return;
  }
  $('error-detail').textContent = e instanceof Failure ? e.message : 'Something went wrong: ' + e;
  $('error-request-id').textContent = (e instanceof Failure && e.requestId) || 'none';
  $('error').hidden = false;
  $('error').focus();
}

function clearError() {
  $('error').hidden = true;
}

// ---------- signing in: OAuth 2.0 authorization code with PKCE, then the session cookie ----------

const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const random = (n) => b64url(crypto.getRandomValues(new Uint8Array(n)));
const redirectUri = () => new URL('/app/', location.origin).href;

async function signIn() {
  clearError();
  const idp = app.config.identity;
  if (!idp || !idp.authorizationEndpoint || !idp.tokenEndpoint) {
    showError(new Failure('Sign-in is unavailable: the sign-in settings could not be loaded. Reload the page to try again.'));
    return;
  }
  const verifier = random(32);
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = random(16);
  sessionStorage.setItem(PENDING, JSON.stringify({ state, verifier, resume: draft() }));
  const url = new URL(idp.authorizationEndpoint); // may carry a query of its own (e.g. a policy): added to, not replaced
  for (const [name, value] of Object.entries({
    response_type: 'code', client_id: idp.clientId, redirect_uri: redirectUri(), scope: idp.scope || 'openid',
    state, code_challenge: challenge, code_challenge_method: 'S256',
  })) {
    url.searchParams.set(name, value);
  }
  location.assign(url.href);
}

/** The sign-in this tab started, if any: its state, PKCE verifier and the driver's unfinished form. Read once. */
function takePending() {
  let pending = null;
  try {
    pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  } catch (e) {
    pending = null;
  }
  sessionStorage.removeItem(PENDING);
  return pending;
}

/** Back from the identity provider: exchange the code, then turn the token into the session cookie. */
async function completeSignIn(params, pending) {
  history.replaceState(null, '', '/app/');
  // Only an answer to a sign-in this tab started is read; anything else (a link someone sent) says nothing of its own.
  if (!pending || typeof pending.state !== 'string' || pending.state !== params.get('state')) {
    throw new Failure('This sign-in was not started in this tab, or has already been used. Sign in again.');
  }
  if (params.has('error')) {
    throw new Failure('Sign-in did not complete: ' + (params.get('error_description') || params.get('error')));
  }
  if (!app.config.identity) {
    throw new Failure('The sign-in settings could not be loaded, so the sign-in could not be completed. Reload the page and sign in again.');
  }
  let res;
  try {
    res = await fetch(app.config.identity.tokenEndpoint, {
      method: 'POST', cache: 'no-store', credentials: 'omit', signal: AbortSignal.timeout(IDP_TIMEOUT_MS),
      body: new URLSearchParams({
        grant_type: 'authorization_code', code: params.get('code') || '', redirect_uri: redirectUri(),
        client_id: app.config.identity.clientId, code_verifier: pending.verifier,
      }),
    });
  } catch (e) {
    throw new Failure('The identity provider did not answer. Sign in again in a moment.');
  }
  const answer = await res.json().catch(() => ({}));
  if (!res.ok || typeof answer.access_token !== 'string') {
    throw new Failure('The identity provider refused the sign-in'
        + (answer.error ? ' (' + answer.error + (answer.error_description ? ': ' + answer.error_description : '') + ')' : '')
        + '. Sign in again.');
  }
  // The token goes straight into the httpOnly cookie; this function's variables are all that ever held it.
  let exchanged;
  try {
    exchanged = await fetch(new URL('v1/session', app.api), {
      method: 'POST', cache: 'no-store', headers: { Authorization: 'Bearer ' + answer.access_token, Accept: 'application/json' },
      credentials: app.api.origin === location.origin ? 'same-origin' : 'include',
    });
  } catch (e) {
    throw new Failure('Nova could not be reached to start your session. Check your connection and sign in again.');
  }
  if (!exchanged.ok) {
    const problem = await exchanged.json().catch(() => null);
    throw new Failure((problem && problem.detail) || 'The session could not be started.', problem && problem.requestId,
        exchanged.status);
  }
  app.session = await exchanged.json();
}

async function signOut() {
  clearError();
  try {
    await api('DELETE', 'v1/session');
  } catch (e) {
    if (!(e instanceof SessionEnded)) {
      showError(e);
      return;
    }
  }
  app.session = null;
  app.attempt = null;
  sessionStorage.clear();
  $('redeem-form').reset();
  showSignIn('You are signed out.');
}

/** The cookie expired or was cleared: back to sign-in, keeping what the driver was typing. */
function sessionEnded() {
  app.session = null;
  showSignIn('Your session has ended. Sign in again to carry on' + (draft() ? '; your unfinished redemption is kept.' : '.'));
}

/** What the driver was doing that a sign-in should not lose: the redemption form's fields. */
function draft() {
  const merchantId = $('merchant').value.trim();
  const amount = $('points').value.trim();
  return merchantId || amount ? { merchantId, amount } : null;
}

function restore(resume) {
  if (resume) {
    $('merchant').value = resume.merchantId || '';
    $('points').value = resume.amount || '';
    $('redeem-result').textContent = 'Your unfinished redemption is back: review it again to redeem.';
  }
}

// ---------- screens ----------

function show(id) {
  for (const section of ['loading', 'signin', 'wallet']) {
    $(section).hidden = section !== id;
  }
  const signedIn = id === 'wallet';
  $('sign-out').hidden = !signedIn;
  $('who').hidden = !signedIn;
}

function showSignIn(message) {
  show('signin');
  $('signin-message').textContent = message || '';
  $('signin-title').focus();
}

async function showWallet() {
  show('wallet');
  $('wallet-title').focus();
  $('who').textContent = app.session.subject;
  $('redeem').hidden = app.config.features.redemptions === false;
  // Each part shows what it can; an ended session wins over any other failure.
  const failures = (await Promise.allSettled([refreshWallet(), refreshHolds(), refreshStatement(null)]))
      .filter((r) => r.status === 'rejected').map((r) => r.reason);
  if (failures.length) {
    throw failures.find((f) => f instanceof SessionEnded) || failures[0];
  }
}

async function refreshWallet() {
  const w = await api('GET', 'v1/wallets/me');
  $('available').textContent = points.format(w.available);
  $('balance').textContent = points.format(w.balance);
  $('held').textContent = points.format(w.held);
  $('next-expiry').textContent = w.nextExpiry
      ? points.format(w.nextExpiry.points) + ' on ' + day.format(new Date(w.nextExpiry.at))
      : 'Nothing expiring';
}

async function refreshHolds() {
  const page = await api('GET', 'v1/wallets/me/holds?status=active&limit=50');
  const list = $('holds-list');
  list.replaceChildren();
  for (const hold of page.items) {
    const item = document.createElement('li');
    item.dataset.holdId = hold.holdId;
    const text = document.createElement('span');
    text.className = 'hold-text';
    text.textContent = points.format(hold.amount) + ' points for ' + hold.merchantId + ', until ' + when.format(new Date(hold.expiresAt));
    const release = document.createElement('button');
    release.type = 'button';
    release.className = 'void';
    release.textContent = 'Void hold';
    release.setAttribute('aria-label', 'Void the hold of ' + points.format(hold.amount) + ' points for ' + hold.merchantId);
    release.addEventListener('click', () => voidHold(hold, release));
    item.append(text, release);
    list.append(item);
  }
  $('holds-empty').hidden = page.items.length > 0;
}

async function voidHold(hold, button) {
  clearError();
  button.disabled = true;
  try {
    await api('POST', 'v1/wallets/me/holds/' + encodeURIComponent(hold.holdId) + '/void');
  } catch (e) {
    button.disabled = false;
    showError(e);
    return;
  }
  $('holds-result').textContent = 'Hold voided: ' + points.format(hold.amount) + ' points are available again.';
  $('holds-title').focus(); // the focused button goes with its hold
  await refreshAfterChange();
}

let statementRequest = 0;

/** A page of the statement, newest first; {@code cursor} null: the newest lines. A slower, older request never overwrites a newer one. */
async function refreshStatement(cursor) {
  const now = Date.now();
  const from = new Date(now - STATEMENT_DAYS * 86400000);
  // A day past now: a phone whose clock runs behind still sees its newest lines.
  const to = new Date(now + 86400000);
  const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), limit: String(STATEMENT_PAGE), order: 'newest' });
  if (cursor) {
    query.set('cursor', cursor);
  }
  const request = ++statementRequest;
  const page = await api('GET', 'v1/wallets/me/statement?' + query);
  if (request !== statementRequest) {
    return;
  }
  app.statementCursor = cursor;
  const body = $('statement-table').tBodies[0];
  body.replaceChildren();
  for (const line of page.items) {
    const row = body.insertRow();
    row.dataset.transactionId = line.transactionId;
    const what = cell(row, describe(line), 'what');
    const at = document.createElement('span');
    at.className = 'at';
    at.textContent = when.format(new Date(line.at));
    what.append(at);
    cell(row, change(line), 'num');
    cell(row, points.format(line.balance), 'num');
  }
  $('statement-empty').hidden = page.items.length > 0;
  $('statement-next').hidden = !page.nextCursor;
  $('statement-next').dataset.cursor = page.nextCursor || '';
  $('statement-first').hidden = !cursor;
}

const KINDS = {
  GRANT: 'Earned', REDEEM: 'Redeemed', ADJUSTMENT: 'Adjustment', REVERSAL: 'Reversed', HOLD: 'Held for charging',
  CAPTURE: 'Charging session', RELEASE: 'Hold released', EXPIRY: 'Expired',
};

/** What a line did: the balance's change, or for a hold and its release the points held or freed. */
function change(line) {
  if (line.balanceChange) {
    return signed.format(line.balanceChange);
  }
  if (line.heldChange > 0) {
    return points.format(line.heldChange) + ' held';
  }
  return line.heldChange < 0 ? points.format(-line.heldChange) + ' freed' : '0';
}

function describe(line) {
  const what = KINDS[line.kind] || line.kind;
  return line.merchantId ? what + ' · ' + line.merchantId : what;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) {
    td.className = className;
  }
  return td;
}

// ---------- redeeming: review, then confirm; one Idempotency-Key per attempt ----------

function review(event) {
  event.preventDefault();
  clearError();
  $('redeem-result').textContent = '';
  const merchantId = $('merchant').value.trim();
  const amount = $('points').value.trim();
  const problems = [];
  if (!/^[A-Za-z0-9_.:\-]{1,128}$/.test(merchantId)) {
    problems.push('A merchant id is 1 to 128 letters, digits or _ . : -.');
  }
  if (!/^[0-9]{1,10}$/.test(amount) || Number(amount) < 1 || Number(amount) > 1000000000) {
    problems.push('Points are a whole number from 1 to 1,000,000,000.');
  }
  $('redeem-invalid').textContent = problems.join(' ');
  $('merchant').setAttribute('aria-invalid', String(problems.some((p) => p.startsWith('A merchant'))));
  $('points').setAttribute('aria-invalid', String(problems.some((p) => p.startsWith('Points'))));
  if (problems.length) {
    $($('merchant').getAttribute('aria-invalid') === 'true' ? 'merchant' : 'points').focus();
    return;
  }
  // A new attempt, a new key: pressing Confirm again (a double tap, a retry after a network error) reuses it.
  app.attempt = { merchantId, amount: Number(amount), key: crypto.randomUUID() };
  $('redeem-question').textContent = 'Redeem ' + points.format(app.attempt.amount) + ' points at ' + merchantId + '?';
  $('redeem-form').hidden = true;
  $('redeem-confirm').hidden = false;
  $('redeem-yes').focus();
}

/** A status after which the redemption may or may not have happened: only the same key may try again. */
const uncertain = (status) => status === 0 || status === 408 || status === 429 || status >= 500;

async function confirmRedemption() {
  const attempt = app.attempt;
  if (!attempt || $('redeem-yes').disabled) {
    return;
  }
  clearError();
  $('redeem-yes').disabled = true;
  $('redeem-no').disabled = true;
  $('redeem').setAttribute('aria-busy', 'true');
  let failure = null;
  try {
    await api('POST', 'v1/wallets/me/redemptions', {
      body: { merchantId: attempt.merchantId, amount: attempt.amount }, key: attempt.key,
    });
  } catch (e) {
    failure = e;
  } finally {
    $('redeem-yes').disabled = false;
    $('redeem-no').disabled = false;
    $('redeem').removeAttribute('aria-busy');
  }
  if (app.attempt !== attempt) {
    return; // not this attempt's screen any more
  }
  if (!failure) {
    app.attempt = null;
    $('redeem-form').reset();
    closeConfirmation();
    $('redeem-result').textContent = 'Redeemed ' + points.format(attempt.amount) + ' points at ' + attempt.merchantId + '.';
    $('merchant').focus();
    await refreshAfterChange();
    return;
  }
  if (failure instanceof Failure && uncertain(failure.status)) {
    // It may have gone through: the same key makes pressing Confirm again safe, and it answers what happened.
    $('redeem-result').textContent = 'Not confirmed yet. Press Confirm redemption again: it cannot redeem twice.';
  } else if (!(failure instanceof SessionEnded)) {
    app.attempt = null;
    closeConfirmation();
  }
  showError(failure);
}

/** After a redemption or a void: the wallet, the holds and the newest statement lines; a failure here is only shown. */
async function refreshAfterChange() {
  try {
    await Promise.all([refreshWallet(), refreshHolds(), refreshStatement(null)]);
  } catch (e) {
    showError(e);
  }
}

function closeConfirmation() {
  $('redeem-confirm').hidden = true;
  $('redeem-form').hidden = false;
}

function cancelRedemption() {
  app.attempt = null;
  closeConfirmation();
  $('merchant').focus();
}

// ---------- start ----------

async function start() {
  const params = new URLSearchParams(location.search);
  const returning = params.has('code') || params.has('error');
  // Read (and so removed) on every load: a sign-in abandoned at the provider leaves nothing behind.
  const pending = takePending();
  $('sign-in').addEventListener('click', () => signIn().catch(showError));
  $('sign-out').addEventListener('click', () => signOut());
  $('redeem-form').addEventListener('submit', review);
  $('redeem-yes').addEventListener('click', () => confirmRedemption());
  $('redeem-no').addEventListener('click', cancelRedemption);
  const page = (cursor) => refreshStatement(cursor).then(() => $('statement-title').focus()).catch(showError);
  $('statement-next').addEventListener('click', () => page($('statement-next').dataset.cursor));
  $('statement-first').addEventListener('click', () => page(null));

  await loadConfig();
  // Whatever happens to the sign-in, the driver's unfinished form comes back.
  const resume = returning && pending ? pending.resume : null;
  restore(resume);
  try {
    if (returning) {
      await completeSignIn(params, pending);
    } else {
      app.session = await api('GET', 'v1/session');
      if (!app.session.csrfToken) {
        throw new SessionEnded(); // a session this page could never write with: sign in again for a complete one
      }
    }
  } catch (e) {
    showSignIn('');
    if (!(e instanceof SessionEnded)) {
      showError(e);
    }
    return;
  }
  try {
    await showWallet();
  } catch (e) {
    showError(e); // signed in: the wallet stays, with what failed in words (an ended session goes to sign-in)
  }
}

start();
