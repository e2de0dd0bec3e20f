// What a person typed survives the end of their session. When a session ends while a form
// is open (the timeout warning ran out, or a form was sent after the server had ended it),
// the form's fields are kept in this tab's sessionStorage, wait through the sign-in pages,
// and are put back when the same person is back on the same page. Never kept: passwords,
// one-time codes, files, the CSRF token. A draft left unused is dropped by the next page.

const STORE = 'app-form-draft'
const LONGEST_MS = 12 * 60 * 60 * 1000
const NOT_KEPT = new Set(['password', 'file', 'submit', 'button', 'reset', 'image'])

function read () {
  try {
    return JSON.parse(window.sessionStorage.getItem(STORE))
  } catch {
    return null
  }
}

function write (draft) {
  try {
    window.sessionStorage.setItem(STORE, JSON.stringify(draft))
  } catch {
    // Storage full or switched off: the form is simply not kept.
  }
}

export function forgetDrafts () {
  try {
    window.sessionStorage.removeItem(STORE)
  } catch {}
}

function here () {
  return window.location.pathname + window.location.search
}

// The fields of a form worth keeping, or null for a form that must never be kept.
function keptFields (form) {
  if ((form.getAttribute('method') || '').toLowerCase() !== 'post') return null
  if (form.hasAttribute('data-no-draft')) return null
  if (form.querySelector('input[type="password"], [autocomplete="one-time-code"]')) return null
  const fields = []
  for (const element of form.elements) {
    const type = (element.type || '').toLowerCase()
    if (!element.name || element.name === 'csrf_token' || element.disabled) continue
    if (NOT_KEPT.has(type)) continue
    // Of the hidden fields only the record's version: saving later is still checked
    // against the record as the person saw it (optimistic locking).
    if (type === 'hidden' && element.name !== 'version') continue
    if (type === 'radio' || type === 'checkbox') {
      fields.push({ name: element.name, value: element.value, checked: element.checked })
    } else if (element.tagName === 'SELECT' && element.multiple) {
      const chosen = [...element.selectedOptions].map((option) => option.value)
      fields.push({ name: element.name, chosen })
    } else {
      fields.push({ name: element.name, value: element.value, hidden: type === 'hidden' })
    }
  }
  const typed = fields.some((f) => f.checked || (f.chosen && f.chosen.length) || (!f.hidden && f.value))
  return typed ? fields : null
}

// Keep the forms of this page (or just one of them) for the person `user`.
export function saveDrafts (user, only = null) {
  if (!user) return
  const all = [...document.forms]
  const forms = []
  for (const form of only ? [only] : all) {
    const fields = keptFields(form)
    if (fields) forms.push({ index: all.indexOf(form), action: form.getAttribute('action') || '', fields })
  }
  if (forms.length) write({ user, path: here(), at: Date.now(), waiting: false, forms })
}

function put (form, fields) {
  let changed = 0
  const queues = new Map()
  for (const field of fields) {
    if (!queues.has(field.name)) queues.set(field.name, [])
    queues.get(field.name).push(field)
  }
  for (const element of form.elements) {
    const saved = queues.get(element.name)
    if (!saved || !saved.length) continue
    const type = (element.type || '').toLowerCase()
    if (type === 'radio' || type === 'checkbox') {
      const match = saved.find((f) => f.value === element.value)
      if (match && element.checked !== match.checked) {
        element.checked = match.checked
        changed++
      }
      continue
    }
    const field = saved.shift()
    if (field.chosen) {
      for (const option of element.options) option.selected = field.chosen.includes(option.value)
      changed++
    } else if (element.value !== field.value) {
      element.value = field.value
      if (!field.hidden) changed++
    }
    element.dispatchEvent(new Event('input', { bubbles: true }))
    element.dispatchEvent(new Event('change', { bubbles: true }))
  }
  return changed
}

function announce () {
  const main = document.getElementById('main-content')
  if (!main) return
  const banner = document.createElement('div')
  banner.className = 'govuk-notification-banner'
  banner.setAttribute('role', 'region')
  banner.setAttribute('aria-labelledby', 'draft-restored-title')
  banner.tabIndex = -1
  const header = document.createElement('div')
  header.className = 'govuk-notification-banner__header'
  const title = document.createElement('h2')
  title.className = 'govuk-notification-banner__title'
  title.id = 'draft-restored-title'
  title.textContent = 'Important'
  header.append(title)
  const content = document.createElement('div')
  content.className = 'govuk-notification-banner__content'
  const words = document.createElement('p')
  words.className = 'govuk-notification-banner__heading'
  words.textContent = 'We have put back what you typed before you were signed out. Check it, then save.'
  content.append(words)
  banner.append(header, content)
  main.prepend(banner)
  banner.focus()
}

// On a sign-in page the person lands back where they were typing once signed in.
function pointNextAt (path) {
  const next = encodeURIComponent(path)
  for (const form of document.forms) {
    if ((form.getAttribute('method') || '').toLowerCase() === 'post' && !form.hasAttribute('action')) {
      form.setAttribute('action', `${window.location.pathname}?next=${next}`)
    }
  }
  for (const link of document.querySelectorAll('a[href*="next="]')) {
    const url = new URL(link.href)
    url.searchParams.set('next', path)
    link.href = url.pathname + url.search
  }
}

// Every page: a sign-in page keeps the draft waiting; any other page puts it back (for the
// same person, on the same page) or drops it. A form sent while signed in is kept until
// the answer arrives, in case the answer is "sign in again".
export function initDrafts (user) {
  const draft = read()
  const fresh = draft && Date.now() - draft.at < LONGEST_MS
  if (document.body.hasAttribute('data-keeps-drafts')) {
    if (fresh) {
      write({ ...draft, waiting: true })
      pointNextAt(draft.path)
    } else {
      forgetDrafts()
    }
    return
  }
  forgetDrafts()
  if (fresh && draft.waiting && user && draft.user === user && draft.path === here()) {
    const all = [...document.forms]
    let changed = 0
    for (const saved of draft.forms) {
      const form = all[saved.index]
      if (form && (form.getAttribute('action') || '') === saved.action) changed += put(form, saved.fields)
    }
    if (changed) announce()
  }
  if (!user) return
  document.addEventListener('submit', (event) => {
    const form = event.target
    if (form.hasAttribute('data-sign-out')) forgetDrafts()
    else saveDrafts(user, form)
  })
}
