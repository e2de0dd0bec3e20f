// Loaded with <script type="module">, so it runs only in browsers that
// GOV.UK Frontend supports (those get the `govuk-frontend-supported` class
// from body-start.js).
import { initAll } from './govuk-frontend.min.js'
import { initDrafts } from './drafts.js'
import { initTimeoutWarning } from './timeout-warning.js'

initAll()

// Signed-in pages carry the timeout warning, which names the person.
const timeoutWarning = document.getElementById('timeout-warning')
initDrafts(timeoutWarning ? timeoutWarning.dataset.user : null)
if (timeoutWarning && typeof timeoutWarning.showModal === 'function') {
  initTimeoutWarning(timeoutWarning)
}
