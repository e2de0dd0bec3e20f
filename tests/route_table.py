"""The one table of expected answers for every route and every kind of visitor.

Visitors: anonymous, each role of the authority under test, a head of service and a manager
of another service area, a partner contributor invited to the world's action only, and an
administrator of another authority ("stranger"), whose view of our records must be 404,
exactly like a missing record.

The partner reaches their one action (and writes its updates), their own account, and
nothing else: any other record of the authority answers 404, as it does the stranger, and
the authority's own pages and functions (lists, dashboard, search, settings, the API) 403.
"""

VISITORS = [
    "anon",
    "admin",
    "director",
    "head",
    "other_head",
    "manager",
    "other_manager",
    "viewer",
    "partner",
    "stranger",
]
SIGN_IN = 302  # anonymous visitors are sent to the sign-in page
NO_SUCH_LINK = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"


def expect(default: int, anon: int = SIGN_IN, **overrides: int) -> dict[str, int]:
    table = {visitor: default for visitor in VISITORS}
    table["anon"] = anon
    table.update(overrides)
    return table


def admin_only(stranger: int = 404, partner: int = 403) -> dict[str, int]:
    return expect(403, admin=200, stranger=stranger, partner=partner)


# Records a partner was not invited to are not there for them.
HIDDEN = 404


OWNERS = ["head", "other_head", "manager", "other_manager"]


def head_or_admin() -> dict[str, int]:
    return expect(403, admin=200, head=200, stranger=404)


def owner_only(status: int) -> dict[str, int]:
    """Only the action's owner (the manager) writes its updates, and the partner invited."""
    return expect(403, manager=status, partner=status, stranger=404)


def author_only(status: int) -> dict[str, int]:
    """Only its author (the manager) changes an update not yet approved, which read-only
    people cannot see at all, nor a partner another's update."""
    return expect(403, manager=status, stranger=404, viewer=404, partner=HIDDEN)


DIRECTOR_ONLY = expect(403, director=200, stranger=404, partner=HIDDEN)
# Everyone in the authority, nobody outside it, and no partner.
OUR_AUTHORITY = expect(200, stranger=404, partner=HIDDEN)
STAFF = expect(200, partner=403)  # the authority's own pages: not a partner's

# (method, path, endpoint, {visitor: status}). Paths name the world's records in braces.
ROUTES = [
    ("GET", "/sign-in", "auth.sign_in", expect(302, anon=200)),
    ("POST", "/sign-in", "auth.sign_in", expect(302, anon=200)),
    ("POST", "/sign-out", "auth.sign_out", expect(302)),
    ("GET", "/sign-in/sso", "sso.start", expect(302, anon=200)),
    ("POST", "/sign-in/sso", "sso.start", expect(302, anon=200)),
    # Without the provider's answer (a code and this browser's state) nobody is signed in.
    ("GET", "/sign-in/sso/callback", "sso.callback", expect(403, anon=403)),
    # Only someone half-way through signing in (a right password) reaches the code steps.
    ("GET", "/sign-in/code", "two_factor.code", expect(302)),
    ("POST", "/sign-in/code", "two_factor.code", expect(302)),
    ("GET", "/sign-in/set-up-two-factor", "two_factor.set_up_at_sign_in", expect(302)),
    ("POST", "/sign-in/set-up-two-factor", "two_factor.set_up_at_sign_in", expect(302)),
    # Managing one's own two-factor sign-in; administrators and directors have it on.
    ("GET", "/account/two-factor", "two_factor.manage", expect(200)),
    ("POST", "/account/two-factor", "two_factor.manage", expect(200)),
    ("POST", "/account/two-factor/turn-off", "two_factor.turn_off", expect(302)),
    (
        "POST",
        "/account/two-factor/recovery-codes",
        "two_factor.new_codes",
        expect(302, admin=200, director=200, stranger=200),
    ),
    ("GET", "/settings/two-factor", "two_factor.settings", admin_only(stranger=200)),
    ("POST", "/settings/two-factor", "two_factor.settings", expect(403, admin=302, stranger=302)),
    ("GET", "/reset-password", "resets.request_link", expect(200, anon=200)),
    ("POST", "/reset-password", "resets.request_link", expect(200, anon=200)),
    # Links that were never issued (tests/accounts has the real ones): the same for everyone.
    ("GET", f"/reset-password/{NO_SUCH_LINK}", "resets.choose", expect(404, anon=404)),
    ("POST", f"/reset-password/{NO_SUCH_LINK}", "resets.choose", expect(404, anon=404)),
    ("GET", f"/invitations/{NO_SUCH_LINK}", "invitations.accept", expect(404, anon=404)),
    ("POST", f"/invitations/{NO_SUCH_LINK}", "invitations.accept", expect(404, anon=404)),
    ("GET", "/account", "auth.account", expect(200)),
    ("POST", "/account", "auth.account", expect(200)),
    # Confirming a new email address: the link must be this person's own.
    (
        "GET",
        f"/account/email-address/{NO_SUCH_LINK}",
        "profile.confirm_email",
        expect(404),
    ),
    (
        "POST",
        f"/account/email-address/{NO_SUCH_LINK}",
        "profile.confirm_email",
        expect(404),
    ),
    # Everyone's own sessions; the timeout warning asks how long is left, or to stay.
    ("GET", "/account/sessions", "sessions.index", expect(200)),
    ("POST", "/account/sessions/sign-out-others", "sessions.sign_out_others", expect(302)),
    ("GET", "/account/sessions/time-left", "sessions.time_left", expect(200)),
    ("POST", "/account/sessions/keep-alive", "sessions.keep_alive", expect(200)),
    ("GET", "/accessibility", "pages.accessibility", expect(200, anon=200)),
    # Every role but the viewer has a home page; viewers land on the dashboard.
    ("GET", "/", "home.index", expect(200, viewer=302)),
    ("GET", "/inspections", "inspections.index", STAFF),
    ("GET", "/inspections/new", "inspections.new", admin_only(stranger=200)),
    ("POST", "/inspections/new", "inspections.new", admin_only(stranger=200)),
    ("GET", "/inspections/{inspection}", "inspections.show", OUR_AUTHORITY),
    ("GET", "/inspections/999999", "inspections.show", expect(404)),
    ("GET", "/inspections/99999999999999999999", "inspections.show", expect(404, anon=404)),
    ("GET", "/inspections/{inspection}/edit", "inspections.edit", admin_only(partner=HIDDEN)),
    ("POST", "/inspections/{inspection}/edit", "inspections.edit", admin_only(partner=HIDDEN)),
    (
        "GET",
        "/inspections/{inspection}/recommendations/new",
        "recommendations.new",
        admin_only(partner=HIDDEN),
    ),
    (
        "POST",
        "/inspections/{inspection}/recommendations/new",
        "recommendations.new",
        admin_only(partner=HIDDEN),
    ),
    (
        "GET",
        "/recommendations/{recommendation}",
        "recommendations.show",
        OUR_AUTHORITY,
    ),
    (
        "GET",
        "/recommendations/{recommendation}/edit",
        "recommendations.edit",
        admin_only(partner=HIDDEN),
    ),
    (
        "POST",
        "/recommendations/{recommendation}/edit",
        "recommendations.edit",
        admin_only(partner=HIDDEN),
    ),
    (
        "GET",
        "/recommendations/{recommendation}/actions/new",
        "actions.new",
        expect(403, admin=200, head=200, other_head=200, stranger=404, partner=HIDDEN),
    ),
    (
        "POST",
        "/recommendations/{recommendation}/actions/new",
        "actions.new",
        expect(403, admin=200, head=200, other_head=200, stranger=404, partner=HIDDEN),
    ),
    ("GET", "/actions/{action}", "actions.show", expect(200, stranger=404)),
    ("GET", "/actions/999999", "actions.show", expect(404)),
    (
        "GET",
        "/actions/{action}/edit",
        "actions.edit",
        expect(403, admin=200, head=200, stranger=404),
    ),
    (
        "POST",
        "/actions/{action}/edit",
        "actions.edit",
        expect(403, admin=200, head=200, stranger=404),
    ),
    ("GET", "/actions/{action}/measures/new", "actions.new_measure", head_or_admin()),
    ("POST", "/actions/{action}/measures/new", "actions.new_measure", head_or_admin()),
    ("GET", "/actions/{action}/updates/new", "updates.new", owner_only(200)),
    ("POST", "/actions/{action}/updates/new", "updates.new", owner_only(200)),
    # Read-only people see approved updates only: one awaiting approval is not there for them.
    # A partner sees their own updates only: this one is the manager's.
    (
        "GET",
        "/updates/{submitted}",
        "updates.show",
        expect(200, stranger=404, viewer=404, partner=HIDDEN),
    ),
    ("GET", "/updates/{draft}/edit", "updates.edit", author_only(200)),
    ("POST", "/updates/{draft}/edit", "updates.edit", author_only(200)),
    # State changes posted without the version the page showed are refused, changing nothing.
    ("POST", "/updates/{draft}/submit", "updates.submit", author_only(302)),
    ("POST", "/updates/{submitted}/withdraw", "updates.withdraw", author_only(302)),
    # The area has a head of service, so the director does not decide its updates.
    (
        "POST",
        "/updates/{submitted}/approve",
        "updates.approve",
        expect(403, head=200, stranger=404, viewer=404, partner=HIDDEN),
    ),
    (
        "POST",
        "/updates/{submitted}/return",
        "updates.return",
        expect(403, head=200, stranger=404, viewer=404, partner=HIDDEN),
    ),
    (
        "GET",
        "/my-actions",
        "updates.mine",
        expect(403, director=200, partner=200, **{v: 200 for v in OWNERS}),
    ),
    (
        "GET",
        "/awaiting-approval",
        "updates.awaiting",
        expect(403, head=200, other_head=200, director=200),
    ),
    # The world's evidence is on the update awaiting approval.
    (
        "GET",
        "/evidence/{evidence}/download",
        "evidence.download",
        expect(200, stranger=404, viewer=404, partner=HIDDEN),
    ),
    # A head of service names a deputy for when they are away.
    ("GET", "/account/cover", "cover.edit", expect(403, head=200, other_head=200)),
    ("POST", "/account/cover", "cover.edit", expect(403, head=200, other_head=200)),
    ("POST", "/account/cover/clear", "cover.clear", expect(403, head=302, other_head=302)),
    ("GET", "/evidence/999999/download", "evidence.download", expect(404)),
    # Closing needs every action complete, and reopening a closed one: neither is so here.
    (
        "POST",
        "/recommendations/{recommendation}/close",
        "recommendations.close",
        expect(403, stranger=404, partner=HIDDEN),
    ),
    (
        "GET",
        "/recommendations/{recommendation}/reopen",
        "recommendations.reopen",
        expect(403, stranger=404, partner=HIDDEN),
    ),
    (
        "POST",
        "/recommendations/{recommendation}/reopen",
        "recommendations.reopen",
        expect(403, stranger=404, partner=HIDDEN),
    ),
    ("GET", "/settings/rag", "settings.rag", admin_only(stranger=200)),
    ("GET", "/settings/sign-in", "sso.settings", admin_only(stranger=200)),
    ("POST", "/settings/sign-in", "sso.settings", admin_only(stranger=200)),
    # An empty post leaves out the at-risk window: refused on the form, nothing saved.
    ("POST", "/settings/rag", "settings.rag", admin_only(stranger=200)),
    ("GET", "/imports/new", "imports.new", admin_only(stranger=200)),
    ("POST", "/imports/new", "imports.new", admin_only(stranger=200)),
    ("GET", "/imports/{report_import}", "imports.review", admin_only()),
    # An empty post is refused (it carries no list to apply) and the list shown again.
    ("POST", "/imports/{report_import}", "imports.review", admin_only()),
    ("GET", "/imports/{report_import}/status", "imports.status", admin_only()),
    # A report already read is not retried: the review page says so.
    (
        "POST",
        "/imports/{report_import}/retry",
        "imports.retry",
        expect(403, admin=302, stranger=404),
    ),
    ("GET", "/users", "users.index", admin_only(stranger=200)),
    ("GET", "/users/invitations", "invitations.index", admin_only(stranger=200)),
    ("GET", "/service-areas", "service_areas.index", admin_only(stranger=200)),
    ("POST", "/service-areas", "service_areas.index", admin_only(stranger=200)),
    ("GET", "/service-areas/{area}/rename", "service_areas.rename", admin_only()),
    # An empty post keeps the saved name: nothing changes, back to the list.
    (
        "POST",
        "/service-areas/{area}/rename",
        "service_areas.rename",
        expect(403, admin=302, stranger=404),
    ),
    # The world's area holds people and actions: retiring it is refused and flashed.
    (
        "POST",
        "/service-areas/{area}/retire",
        "service_areas.retire",
        expect(403, admin=302, stranger=404),
    ),
    # The world has no invitation: an administrator gets 404 (tests/accounts has real ones).
    (
        "POST",
        "/users/invitations/999999/resend",
        "invitations.resend",
        expect(403, admin=404, stranger=404),
    ),
    (
        "POST",
        "/users/invitations/999999/withdraw",
        "invitations.withdraw",
        expect(403, admin=404, stranger=404),
    ),
    ("GET", "/users/new", "users.new", admin_only(stranger=200)),
    ("POST", "/users/new", "users.new", admin_only(stranger=200)),
    ("GET", "/users/{manager}/edit", "users.edit", admin_only()),
    ("POST", "/users/{manager}/edit", "users.edit", admin_only()),
    # A partner's actions: an empty post is refused on the form ("Select at least one").
    ("GET", "/users/{partner}/actions", "users.partner_actions", admin_only()),
    ("POST", "/users/{partner}/actions", "users.partner_actions", admin_only()),
    # Only a partner has a list of actions.
    ("GET", "/users/{manager}/actions", "users.partner_actions", admin_only() | {"admin": 404}),
    (
        "POST",
        "/users/{manager}/sign-out-everywhere",
        "users.sign_out_everywhere",
        expect(403, admin=302, stranger=404),
    ),
    # The action plan: everyone in the authority reads and exports it; a director issues it.
    ("GET", "/inspections/{inspection}/plan", "plans.show", OUR_AUTHORITY),
    ("GET", "/inspections/999999/plan", "plans.show", expect(404)),
    ("GET", "/inspections/{inspection}/plan/export.docx", "plans.export", OUR_AUTHORITY),
    ("GET", "/inspections/{inspection}/plan/export.pdf", "plans.export", OUR_AUTHORITY),
    ("GET", "/inspections/{inspection}/plan/export.csv", "plans.export", OUR_AUTHORITY),
    ("GET", "/inspections/{inspection}/plan/export.exe", "plans.export", expect(404)),
    ("GET", "/inspections/{inspection}/plan/issue", "plans.issue", DIRECTOR_ONLY),
    # An empty post re-shows the form with its errors; nothing is issued.
    ("POST", "/inspections/{inspection}/plan/issue", "plans.issue", DIRECTOR_ONLY),
    # Without a hit to clear the post is malformed.
    (
        "POST",
        "/inspections/{inspection}/plan/privacy-check",
        "plans.clear_hit",
        expect(403, director=400, stranger=404, partner=HIDDEN),
    ),
    ("GET", "/plan-versions/999999/download.pdf", "plans.download", expect(404)),
    ("GET", "/plan-versions/999999/download.xlsx", "plans.download", expect(404)),
    # An empty post re-shows the form (it carries no record version); nothing is saved.
    ("GET", "/inspections/{inspection}/plan/introduction", "plans.introduction", DIRECTOR_ONLY),
    ("POST", "/inspections/{inspection}/plan/introduction", "plans.introduction", DIRECTOR_ONLY),
    # Only an approved update is redacted: the world's draft is refused even to a director.
    (
        "GET",
        "/updates/{draft}/redact",
        "plans.redact",
        expect(403, stranger=404, viewer=404, partner=HIDDEN),
    ),
    (
        "POST",
        "/updates/{draft}/redact",
        "plans.redact",
        expect(403, stranger=404, viewer=404, partner=HIDDEN),
    ),
    ("GET", "/inspections/{inspection}/self-evaluation", "plans.self_evaluation", OUR_AUTHORITY),
    # An empty post carries no record version: refused and the saved narrative shown again.
    (
        "POST",
        "/inspections/{inspection}/self-evaluation",
        "plans.self_evaluation",
        DIRECTOR_ONLY,
    ),
    (
        "GET",
        "/inspections/{inspection}/self-evaluation/export.docx?since=2022-01-01&until=2030-01-01",
        "plans.self_evaluation_export",
        OUR_AUTHORITY,
    ),
    (
        "GET",
        "/inspections/{inspection}/self-evaluation/export.pdf?since=bad",
        "plans.self_evaluation_export",
        expect(400, stranger=404, partner=HIDDEN),
    ),
    ("GET", "/settings/logo", "plans.logo", admin_only(stranger=200)),
    # An empty post says "Select a logo file" on the form.
    ("POST", "/settings/logo", "plans.logo", admin_only(stranger=200)),
    (
        "POST",
        "/settings/logo/remove",
        "plans.remove_logo_view",
        expect(403, admin=302, stranger=302),
    ),
    ("GET", "/settings/logo/image", "plans.logo_image", expect(404)),
    ("POST", "/plan-versions/999999/publish", "plans.publish", expect(404)),
    ("POST", "/plan-versions/999999/withdraw", "plans.withdraw", expect(404)),
    # A published plan needs no sign-in; an address nobody was given is missing for everyone.
    ("GET", "/published/not-a-real-address", "plans.published", expect(404, anon=404)),
    (
        "GET",
        "/published/not-a-real-address/plan.pdf",
        "plans.published_pdf",
        expect(404, anon=404),
    ),
    ("GET", "/inspections/{inspection}/plan/compare", "plans.compare", OUR_AUTHORITY),
    ("GET", "/inspections/{inspection}/report", "plans.report", OUR_AUTHORITY),
    (
        "GET",
        "/inspections/{inspection}/report/export.docx?since=2022-01-01&until=2030-01-01",
        "plans.report_export",
        OUR_AUTHORITY,
    ),
    (
        "GET",
        "/inspections/{inspection}/report/export.pdf?since=bad",
        "plans.report_export",
        expect(400, stranger=404, partner=HIDDEN),
    ),
    # Oversight: dashboard, search, account settings, calendar feed, API (tokens: tests/oversight).
    ("GET", "/dashboard", "dashboard.index", STAFF),
    ("GET", "/dashboard.csv", "dashboard.csv", STAFF),
    ("GET", "/inspections/{inspection}/dashboard", "dashboard.inspection", OUR_AUTHORITY),
    (
        "GET",
        "/inspections/{inspection}/dashboard.csv",
        "dashboard.inspection_csv",
        OUR_AUTHORITY,
    ),
    ("GET", "/search?q=education", "search.index", STAFF),
    ("GET", "/account/reminders", "profile.reminders", expect(200)),
    ("POST", "/account/reminders", "profile.reminders", expect(200)),
    ("GET", "/account/access", "profile.access", expect(200)),
    ("POST", "/account/access/calendar", "profile.reset_calendar", expect(200)),
    ("POST", "/account/access/calendar/turn-off", "profile.turn_off_calendar", expect(302)),
    # The API reads the whole authority: partners have no tokens (tests/accounts/test_partners).
    ("GET", "/account/api-tokens/new", "profile.new_api_token", STAFF),
    ("POST", "/account/api-tokens/new", "profile.new_api_token", STAFF),
    ("POST", "/account/api-tokens/999999/revoke", "profile.revoke_api_token", expect(404)),
    ("GET", "/calendar/not-a-token.ics", "calendar.feed", expect(404, anon=404)),
    ("GET", "/api/v1/openapi.json", "api.openapi", expect(200, anon=200)),
    ("GET", "/api/v1/inspections", "api.inspections", expect(401, anon=401)),
    ("GET", "/api/v1/inspections/{inspection}", "api.inspection", expect(401, anon=401)),
    ("GET", "/api/v1/recommendations", "api.recommendations", expect(401, anon=401)),
    (
        "GET",
        "/api/v1/recommendations/{recommendation}",
        "api.recommendation",
        expect(401, anon=401),
    ),
    ("GET", "/api/v1/actions", "api.actions", expect(401, anon=401)),
    ("GET", "/api/v1/actions/{action}", "api.action", expect(401, anon=401)),
    ("GET", "/api/v1/updates", "api.updates", expect(401, anon=401)),
    ("GET", "/api/v1/updates/1", "api.update", expect(401, anon=401)),
    ("GET", "/api/v1/measures", "api.measures", expect(401, anon=401)),
    ("GET", "/api/v1/measures/1", "api.measure", expect(401, anon=401)),
    # Background jobs: administrators see their authority's failed jobs (tests/jobs).
    ("GET", "/jobs", "jobs.index", admin_only(stranger=200)),
    ("POST", "/jobs/999999/retry", "jobs.retry", expect(403, admin=404, stranger=404)),
    # The audit trail: administrators read their own authority's (tests/oversight).
    ("GET", "/audit", "audit_trail.index", admin_only(stranger=200)),
    ("GET", "/audit.csv", "audit_trail.csv", admin_only(stranger=200)),
    # For the balancer and monitoring: no sign-in; /metrics only with its token (tests/web).
    ("GET", "/healthz", "health.healthz", expect(200, anon=200)),
    ("GET", "/readyz", "health.readyz", expect(200, anon=200)),
    ("GET", "/metrics", "health.prometheus_metrics", expect(404, anon=404)),
]
