// Build helper for `npm run build`. Node built-ins only, so it runs anywhere
// Node runs (no shell `cp`/`rm`).
//
//   node workflow/assets/build.mjs clean  -> empty workflow/static/dist/
//   node workflow/assets/build.mjs copy   -> copy the JavaScript into it
//
// The Sass step is the `build:css` script in package.json (sass CLI).
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const assetsDir = dirname(fileURLToPath(import.meta.url))
const rootDir = resolve(assetsDir, '..', '..')
const distDir = join(rootDir, 'workflow', 'static', 'dist')
const govukJs = join(
  rootDir, 'node_modules', 'govuk-frontend', 'dist', 'govuk', 'govuk-frontend.min.js'
)

async function clean () {
  await rm(distDir, { recursive: true, force: true })
  await mkdir(distDir, { recursive: true })
}

async function copy () {
  await mkdir(distDir, { recursive: true })
  await copyFile(govukJs, join(distDir, 'govuk-frontend.min.js'))
  // The minified file ends with a sourceMappingURL comment: ship the map too,
  // so browser developer tools do not request a missing file.
  await copyFile(`${govukJs}.map`, join(distDir, 'govuk-frontend.min.js.map'))
  const names = (await readdir(assetsDir)).filter(
    (name) => name.endsWith('.js') && !name.startsWith('.')
  )
  for (const name of names.sort()) {
    await copyFile(join(assetsDir, name), join(distDir, name))
  }
  const built = (await readdir(distDir)).sort()
  console.log(`workflow/static/dist: ${built.join(', ')}`)
}

const tasks = { clean, copy }
const task = tasks[process.argv[2]]
if (!task) {
  console.error(`usage: node ${process.argv[1]} <${Object.keys(tasks).join('|')}>`)
  process.exit(2)
}
await task()
