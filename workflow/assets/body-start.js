// Loaded with a classic <script src> immediately after <body>. GOV.UK's page
// template does this inline, but our Content-Security-Policy
// (script-src 'self') forbids inline script.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
