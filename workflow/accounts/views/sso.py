"""Signing in through the authority's identity provider, and the administrator's settings."""

from flask import (
    Blueprint,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from workflow.accounts import sso
from workflow.accounts.access_forms import IdentityProviderForm, SsoStartForm
from workflow.accounts.views.signing_in import safe_next, sign_in_as, user_agent
from workflow.core import permissions
from workflow.models import utcnow
from workflow.web import require, run_rule
from workflow.web.hooks import content_security_policy

bp = Blueprint("sso", __name__)

STATE_KEY, NEXT_KEY = "sso_state", "sso_next"


@bp.route("/sign-in/sso", methods=["GET", "POST"])
def start():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SsoStartForm()
    if not form.validate_on_submit():
        return _start_page(form)
    provider = sso.provider_for_email(form.email.data)
    if provider is None:
        form.email.errors = [
            "Your council does not use single sign-on here. Sign in with your password"
        ]
        return _start_page(form)
    done = run_rule(form, sso.begin_sign_in, provider, _callback_url(), form.email.data)
    if not done:
        return _start_page(form)
    url, state = done.result
    session[STATE_KEY] = state  # ties the answer to the browser that asked
    session[NEXT_KEY] = safe_next(request.args.get("next"))
    return redirect(url)


@bp.get("/sign-in/sso/callback")
def callback():
    state, code = request.args.get("state", ""), request.args.get("code", "")
    browser_state = session.pop(STATE_KEY, None)
    next_url = safe_next(session.pop(NEXT_KEY, None))
    if request.args.get("error") or not code:
        flash("You did not finish signing in with your council account. Try again", "error")
        return render_template("auth/sso_refused.html"), 403
    # A refused answer still spends its state, so it can never be replayed.
    done = run_rule(
        None,
        sso.finish_sign_in,
        state,
        code,
        browser_state,
        _callback_url(),
        user_agent(),
        utcnow(),
        keep_refused=True,
    )
    if not done:
        return render_template("auth/sso_refused.html"), 403
    sign_in_as(*done.result)
    return redirect(next_url)


@bp.route("/settings/sign-in", methods=["GET", "POST"])
def settings():
    require(permissions.can_manage_users(current_user))
    provider = sso.provider_of(current_user.authority)
    form = IdentityProviderForm(record=provider)
    if form.validate_on_submit() and run_rule(
        form,
        sso.configure_provider,
        current_user,
        current_user.authority,
        _settings(form),
        form.posted_version(),
    ):
        sso.forget_provider_metadata()
        flash("Single sign-on settings saved.", "success")
        return redirect(url_for("sso.settings"))
    return render_template(
        "settings/sso.html", form=form, provider=provider, redirect_uri=_callback_url()
    )


def _start_page(form: SsoStartForm):
    """Browsers hold a form's redirect to its page's form-action: the providers are named."""
    response = make_response(render_template("auth/sso_start.html", form=form))
    policy = content_security_policy(tuple(sso.provider_origins()))
    response.headers["Content-Security-Policy"] = policy
    return response


def _callback_url() -> str:
    return url_for("sso.callback", _external=True)


def _settings(form: IdentityProviderForm) -> sso.ProviderSettings:
    return sso.ProviderSettings(
        issuer=form.issuer.data,
        client_id=form.client_id.data,
        client_secret=form.client_secret.data or None,
        email_domains=form.email_domains.data,
        sso_only=form.sso_only.data,
        enabled=form.enabled.data,
    )
