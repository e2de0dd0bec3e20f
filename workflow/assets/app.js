// Loaded with <script type="module">, so it runs only in browsers that
// GOV.UK Frontend supports (those get the `govuk-frontend-supported` class
// from body-start.js).
import { initAll } from './govuk-frontend.min.js'

initAll()
