// The timeout warning (GOV.UK's timeout warning pattern) on a native modal <dialog>: the
// rest of the page is inert while it is open, focus moves to its heading, Escape means
// "stay signed in", and focus goes back where it was afterwards. The countdown is read
// out now and then (each minute, then every 15 seconds), not every second.
//
// The server decides when the session ends. Before warning, and again when the countdown
// runs out, the page asks how long is really left (another tab may have kept the session
// going); only when the server says it has ended does the page keep what was typed and
// go to the sign-in page.

import { saveDrafts } from './drafts.js'

function inWords (seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60)
    return `${minutes} minute${minutes === 1 ? '' : 's'}`
  }
  return `${seconds} second${seconds === 1 ? '' : 's'}`
}

// The server's answer: its numbers, "ended" (it sent us to sign in), or "unreachable".
async function ask (url, options = {}) {
  try {
    const response = await fetch(url, {
      credentials: 'same-origin',
      redirect: 'manual',
      headers: { Accept: 'application/json' },
      ...options
    })
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      return 'ended'
    }
    if (!response.ok) return 'unreachable'
    return await response.json()
  } catch {
    return 'unreachable'
  }
}

export function initTimeoutWarning (dialog) {
  const data = dialog.dataset
  const warningMs = Number(data.warningSeconds) * 1000
  const stayForm = dialog.querySelector('.app-timeout-dialog__stay')
  const stayButton = dialog.querySelector('.app-timeout-dialog__stay-button')
  const heading = dialog.querySelector('#timeout-warning-title')
  const live = dialog.querySelector('.app-timeout-dialog__live')
  const problem = dialog.querySelector('.app-timeout-dialog__problem')
  let deadline = Date.now() + Number(data.secondsLeft) * 1000
  let extendable = data.extendable === 'true'
  let acknowledged = false // "Continue" pressed when staying longer is not possible
  let timer = null
  let ticker = null
  let lastSaid = ''
  let returnFocus = null
  let closing = false

  function schedule (delay = null) {
    window.clearTimeout(timer)
    const due = acknowledged ? deadline - Date.now() + 1500 : deadline - warningMs - Date.now()
    timer = window.setTimeout(check, delay ?? Math.max(0, due))
  }

  function learn (answer) {
    deadline = Date.now() + answer.seconds_left * 1000
    extendable = answer.extendable
  }

  async function check () {
    const answer = await ask(data.timeLeftUrl)
    if (answer === 'ended') return end()
    if (answer === 'unreachable') return schedule(15000)
    learn(answer)
    if (answer.seconds_left <= 0) return schedule(1500)
    if (answer.seconds_left * 1000 > warningMs) {
      close()
      return schedule()
    }
    if (acknowledged) return schedule()
    open()
  }

  function open () {
    for (const part of dialog.querySelectorAll('.app-timeout-dialog__extendable')) part.hidden = !extendable
    for (const part of dialog.querySelectorAll('.app-timeout-dialog__final')) part.hidden = extendable
    stayButton.textContent = extendable ? 'Stay signed in' : 'Continue'
    if (!dialog.open) {
      returnFocus = document.activeElement
      problem.hidden = true
      lastSaid = ''
      dialog.showModal()
      heading.focus()
    }
    window.clearInterval(ticker)
    tick()
    ticker = window.setInterval(tick, 1000)
  }

  function tick () {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000))
    const words = inWords(left)
    for (const countdown of dialog.querySelectorAll('.app-timeout-dialog__countdown')) {
      countdown.textContent = words
    }
    for (const hidden of dialog.querySelectorAll('.app-timeout-dialog__countdown-words')) {
      hidden.textContent = words
    }
    const sayNow = left >= 60 ? words : (left % 15 === 0 ? words : null)
    if (sayNow && sayNow !== lastSaid && left > 0) {
      lastSaid = sayNow
      live.textContent = `We will sign you out in ${sayNow}.`
    }
    if (left <= 0) {
      window.clearInterval(ticker)
      schedule(1500)
    }
  }

  function close () {
    window.clearInterval(ticker)
    if (!dialog.open) return
    closing = true
    dialog.close()
    closing = false
    if (returnFocus && document.contains(returnFocus)) returnFocus.focus()
  }

  async function stay () {
    if (!extendable) {
      acknowledged = true
      close()
      return schedule()
    }
    const answer = await ask(stayForm.action, { method: 'POST', body: new FormData(stayForm) })
    if (answer === 'ended') return end()
    if (answer === 'unreachable') {
      if (!dialog.open) open()
      problem.hidden = false
      return
    }
    for (const token of document.querySelectorAll('input[name="csrf_token"]')) {
      token.value = answer.csrf_token
    }
    learn(answer)
    close()
    schedule()
  }

  function end () {
    window.clearTimeout(timer)
    window.clearInterval(ticker)
    saveDrafts(data.user)
    const next = encodeURIComponent(window.location.pathname + window.location.search)
    window.location.assign(`${data.signInUrl}?next=${next}`)
  }

  stayForm.addEventListener('submit', (event) => {
    event.preventDefault()
    stay()
  })
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault() // Escape: the same as "Stay signed in"
    stay()
  })
  dialog.addEventListener('close', () => {
    if (!closing) stay() // closed by the browser itself: keep the promise Escape makes
  })
  document.addEventListener('visibilitychange', () => {
    // Timers sleep with the computer: on coming back, ask at once if the warning is due.
    if (document.visibilityState === 'visible' && Date.now() >= deadline - warningMs) check()
  })
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) check()
  })
  schedule()
}
