"""Two-factor authentication on the User aggregate: setup, confirmation, sign-in steps,
disabling, an admin's suspend and reset, and no secret or code in any event."""

import dataclasses
from uuid import uuid4

import pytest

from adapters.postgres import secrets, two_factor_codes
from adapters.postgres.email_outbox import OUTBOX_SQL
from adapters.postgres.two_factor_codes import EMAIL_CODE_SQL
from commands.identity.organization import (
    ChangeOrganizationDetails,
    CreateOrganization,
    change_organization_details,
    create_organization,
)
from commands.identity.sign_in import BeginSignIn, SignInStep, begin_sign_in
from commands.identity.two_factor import (
    BeginTwoFactorSetup,
    ConfirmTwoFactor,
    DisableTwoFactor,
    EmailCode,
    ResetTwoFactor,
    SendTwoFactorCode,
    SuspendTwoFactor,
    begin_two_factor_setup,
    confirm_two_factor,
    disable_two_factor,
    reset_two_factor,
    send_two_factor_code,
    suspend_two_factor,
)
from commands.identity.users import DeactivateUser, RegisterUser, deactivate_user, register_user
from domain.errors import ConflictError, ForbiddenError, InvalidCommandError, NotFoundError
from domain.identity.errors import (
    NoEmailCodeExpectedError,
    NoTwoFactorSetupError,
    TwoFactorAlreadyEnabledError,
    TwoFactorEnforcedError,
    TwoFactorNotEnabledError,
    TwoFactorSetupChangedError,
)
from domain.identity.two_factor import DISABLE, LOGIN, SETUP, TwoFactor
from domain.identity.user import TWO_FACTOR_SETUP_STEP, TWO_FACTOR_STEP, User
from domain.log import SideWrite
from tests.unit.world import InMemoryWorld

SEALED = b"gAAAA-sealed-secret-bytes"
CODE = "246810"
CODE_HASH = "d" * 64
BACKUP_HASHES = tuple(f"{n:064x}" for n in range(10))


def email_code(code: str = CODE, code_hash: str = CODE_HASH) -> EmailCode:
    return EmailCode(code=code, code_hash=code_hash, valid_seconds=600)


class World(InMemoryWorld):
    """One organization with an admin and a member, on an in-memory store."""

    def __init__(self) -> None:
        super().__init__()
        self.org = CreateOrganization(
            org_id=uuid4(), name="Acme", admin_user_id=uuid4(),
            admin_email=f"admin-{uuid4().hex[:8]}@acme.test", admin_password_hash="argon2$a")
        self.when(create_organization, self.org)
        self.user_id = uuid4()
        self.email = f"bob-{uuid4().hex[:8]}@acme.test"
        self.when(register_user, RegisterUser(org_id=self.org.org_id, user_id=self.user_id,
                                              email=self.email, password_hash="argon2$u"))

    def user(self) -> User:
        return self.load(User, self.user_id)

    def topics_after(self, position: int) -> list[str]:
        return [r.topic for r in self.recorded_since(position)]

    def side_writes_after(self, count: int) -> list[SideWrite]:
        return self.store.side_writes[count:]

    def setup_totp(self) -> None:
        self.when(begin_two_factor_setup, BeginTwoFactorSetup(
            org_id=self.org.org_id, user_id=self.user_id, method="totp", sealed_secret=SEALED,
            secret_fingerprint="fp"))

    def confirm(self, method: str = "totp") -> int:
        generation: int = self.when(confirm_two_factor, ConfirmTwoFactor(
            org_id=self.org.org_id, user_id=self.user_id, method=method,
            backup_code_hashes=BACKUP_HASHES))
        return generation

    def enable_totp(self) -> None:
        self.setup_totp()
        self.confirm()

    def sign_in(self) -> SignInStep:
        step: SignInStep = self.when(begin_sign_in, BeginSignIn(
            org_id=self.org.org_id, user_id=self.user_id, email_code=email_code()))
        return step

    def enforce(self, on: bool = True) -> None:
        self.when(change_organization_details, ChangeOrganizationDetails(
            org_id=self.org.org_id, actor_id=self.org.admin_user_id, enforce_2fa=on))

    def admin_suspends(self) -> None:
        self.when(suspend_two_factor, SuspendTwoFactor(
            org_id=self.org.org_id, user_id=self.user_id, actor_id=self.org.admin_user_id))

    def admin_resets(self) -> None:
        self.when(reset_two_factor, ResetTwoFactor(
            org_id=self.org.org_id, user_id=self.user_id, actor_id=self.org.admin_user_id))

    def events_text(self) -> str:
        return "\n".join(repr(dataclasses.asdict(r.event)) for r in self.store.log)


@pytest.fixture
def world() -> World:
    return World()


def test_a_totp_setup_records_the_method_and_keeps_the_sealed_secret_beside(
    world: World,
) -> None:
    before, writes_before = world.position(), len(world.store.side_writes)
    world.setup_totp()
    assert world.topics_after(before) == ["identity.TwoFactorSetupStarted"]
    assert world.store.log[-1].event.method == "totp"  # type: ignore[attr-defined]
    writes = world.side_writes_after(writes_before)
    assert writes == [secrets.seal(world.user_id, "totp_pending", world.org.org_id, SEALED, "fp")]
    tf = world.user().two_factor
    assert (tf.pending_method, tf.enabled, tf.active_method) == ("totp", False, None)


def test_confirming_turns_2fa_on_adopts_the_pending_secret_and_stores_backup_digests(
    world: World,
) -> None:
    world.setup_totp()
    writes_before = len(world.store.side_writes)
    assert world.confirm() == 1
    tf = world.user().two_factor
    assert (tf.method, tf.enabled, tf.active_method, tf.pending_method) == (
        "totp", True, "totp", None)
    assert tf.backup_codes_generation == 1
    writes = world.side_writes_after(writes_before)
    assert secrets.adopt_pending_totp(world.user_id) in writes
    assert two_factor_codes.store_backup_codes(world.user_id, world.org.org_id, 1,
                                               list(BACKUP_HASHES)) in writes


def test_a_confirmation_needs_a_setup_in_progress_of_the_same_method(world: World) -> None:
    with pytest.raises(NoTwoFactorSetupError):
        world.confirm()
    world.setup_totp()
    with pytest.raises(TwoFactorSetupChangedError):
        world.confirm("email")


def test_a_confirmation_needs_exactly_ten_backup_codes(world: World) -> None:
    world.setup_totp()
    with pytest.raises(InvalidCommandError, match="10 codes"):
        world.when(confirm_two_factor, ConfirmTwoFactor(
            org_id=world.org.org_id, user_id=world.user_id, method="totp",
            backup_code_hashes=BACKUP_HASHES[:3]))


def test_setting_up_again_while_2fa_is_on_is_refused(world: World) -> None:
    world.enable_totp()
    with pytest.raises(TwoFactorAlreadyEnabledError):
        world.setup_totp()


def test_an_unknown_method_is_refused_naming_the_methods(world: World) -> None:
    with pytest.raises(InvalidCommandError, match="totp, email"):
        world.when(begin_two_factor_setup, BeginTwoFactorSetup(
            org_id=world.org.org_id, user_id=world.user_id, method="sms"))


def test_an_email_setup_sends_a_code_by_mail_and_keeps_only_its_digest(world: World) -> None:
    before, writes_before = world.position(), len(world.store.side_writes)
    world.when(begin_two_factor_setup, BeginTwoFactorSetup(
        org_id=world.org.org_id, user_id=world.user_id, method="email",
        email_code=email_code()))
    assert world.topics_after(before) == ["identity.TwoFactorSetupStarted",
                                          "identity.TwoFactorEmailCodeSent"]
    writes = world.side_writes_after(writes_before)
    code_rows = [w for w in writes if w.sql == EMAIL_CODE_SQL]
    assert code_rows == [two_factor_codes.store_email_code(world.user_id, SETUP, world.org.org_id,
                                                           CODE_HASH, 600)]
    mails = [w for w in writes if w.sql == OUTBOX_SQL]
    assert len(mails) == 1
    _, to, _, body, kind = mails[0].params
    assert (to, kind) == (world.email, "2fa_code") and CODE in body
    assert world.confirm("email") == 1
    assert world.user().two_factor.active_method == "email"


def test_signing_in_without_2fa_records_the_login(world: World) -> None:
    before = world.position()
    assert world.sign_in() == SignInStep(step=None)
    assert world.topics_after(before) == ["identity.UserLoggedIn"]


def test_signing_in_with_totp_asks_for_a_code_and_records_no_login_yet(world: World) -> None:
    world.enable_totp()
    before = world.position()
    assert world.sign_in() == SignInStep(step=TWO_FACTOR_STEP, method="totp")
    assert world.topics_after(before) == []


def test_signing_in_with_the_email_method_mails_a_login_code(world: World) -> None:
    world.when(begin_two_factor_setup, BeginTwoFactorSetup(
        org_id=world.org.org_id, user_id=world.user_id, method="email", email_code=email_code()))
    world.confirm("email")
    before, writes_before = world.position(), len(world.store.side_writes)
    assert world.sign_in() == SignInStep(step=TWO_FACTOR_STEP, method="email")
    assert world.topics_after(before) == ["identity.TwoFactorEmailCodeSent"]
    assert world.store.log[-1].event.purpose == LOGIN  # type: ignore[attr-defined]
    assert any(w.sql == OUTBOX_SQL for w in world.side_writes_after(writes_before))


def test_an_enforcing_organization_asks_a_user_without_2fa_for_a_setup(world: World) -> None:
    world.enforce()
    before = world.position()
    assert world.sign_in() == SignInStep(step=TWO_FACTOR_SETUP_STEP)
    assert world.topics_after(before) == []
    world.enable_totp()
    assert world.sign_in() == SignInStep(step=TWO_FACTOR_STEP, method="totp")


def test_a_deactivated_user_can_neither_sign_in_nor_set_up_2fa(world: World) -> None:
    world.when(deactivate_user, DeactivateUser(
        org_id=world.org.org_id, user_id=world.user_id, actor_id=world.org.admin_user_id))
    with pytest.raises(ForbiddenError):
        world.sign_in()
    with pytest.raises(ForbiddenError):
        world.setup_totp()


def test_the_user_disables_2fa_and_its_secrets_are_dropped(world: World) -> None:
    world.enable_totp()
    writes_before = len(world.store.side_writes)
    world.when(disable_two_factor, DisableTwoFactor(org_id=world.org.org_id,
                                                    user_id=world.user_id))
    assert world.store.log[-1].topic == "identity.TwoFactorDisabled"
    assert world.user().two_factor == TwoFactor(backup_codes_generation=1)
    writes = world.side_writes_after(writes_before)
    assert secrets.drop(world.user_id, "totp") in writes
    assert world.sign_in() == SignInStep(step=None)


def test_disabling_is_refused_when_the_organization_enforces_2fa(world: World) -> None:
    world.enable_totp()
    world.enforce()
    with pytest.raises(TwoFactorEnforcedError):
        world.when(disable_two_factor, DisableTwoFactor(org_id=world.org.org_id,
                                                        user_id=world.user_id))
    assert world.user().two_factor.active_method == "totp"


def test_disabling_what_is_not_on_is_a_conflict(world: World) -> None:
    with pytest.raises(TwoFactorNotEnabledError):
        world.when(disable_two_factor, DisableTwoFactor(org_id=world.org.org_id,
                                                        user_id=world.user_id))


def test_an_admin_suspends_the_check_and_the_secret_is_kept(world: World) -> None:
    world.enable_totp()
    writes_before = len(world.store.side_writes)
    world.admin_suspends()
    event = world.store.log[-1].event
    assert world.store.log[-1].topic == "identity.TwoFactorSuspended"
    assert (event.method, event.by) == ("totp", world.org.admin_user_id)  # type: ignore[attr-defined]
    assert world.side_writes_after(writes_before) == []  # nothing dropped
    assert world.sign_in() == SignInStep(step=None)
    before = world.position()
    world.admin_suspends()  # again: nothing new
    assert world.position() == before


def test_a_suspended_method_comes_back_with_a_code_without_a_new_setup(world: World) -> None:
    world.enable_totp()
    world.admin_suspends()
    assert world.user().two_factor.confirmable_method == "totp"
    writes_before = len(world.store.side_writes)
    assert world.confirm() == 2
    writes = world.side_writes_after(writes_before)
    assert secrets.adopt_pending_totp(world.user_id) not in writes
    assert secrets.drop(world.user_id, "totp") not in writes
    assert world.sign_in() == SignInStep(step=TWO_FACTOR_STEP, method="totp")


def test_suspending_a_user_without_2fa_is_a_conflict(world: World) -> None:
    with pytest.raises(TwoFactorNotEnabledError):
        world.admin_suspends()


def test_an_admin_reset_drops_the_secret_and_a_new_setup_starts_from_scratch(
    world: World,
) -> None:
    world.enable_totp()
    writes_before = len(world.store.side_writes)
    world.admin_resets()
    assert world.store.log[-1].topic == "identity.TwoFactorReset"
    writes = world.side_writes_after(writes_before)
    assert secrets.drop(world.user_id, "totp") in writes
    tf = world.user().two_factor
    assert (tf.method, tf.enabled, tf.confirmable_method) == (None, False, None)
    with pytest.raises(ConflictError):
        world.confirm()
    world.setup_totp()
    assert world.confirm() == 2  # a new generation of backup codes, never a reused one


def test_resetting_a_user_without_2fa_records_nothing(world: World) -> None:
    before = world.position()
    world.admin_resets()
    assert world.position() == before


def test_email_codes_are_only_for_the_email_method(world: World) -> None:
    with pytest.raises(NoEmailCodeExpectedError):
        world.when(send_two_factor_code, SendTwoFactorCode(
            org_id=world.org.org_id, user_id=world.user_id, purpose=DISABLE,
            email_code=email_code()))
    world.enable_totp()
    with pytest.raises(NoEmailCodeExpectedError):
        world.when(send_two_factor_code, SendTwoFactorCode(
            org_id=world.org.org_id, user_id=world.user_id, purpose=DISABLE,
            email_code=email_code()))
    with pytest.raises(InvalidCommandError, match="purpose"):
        world.when(send_two_factor_code, SendTwoFactorCode(
            org_id=world.org.org_id, user_id=world.user_id, purpose="anything",
            email_code=email_code()))


def test_another_organizations_admin_finds_no_such_user(world: World) -> None:
    other = dataclasses.replace(world.org, org_id=uuid4(), admin_user_id=uuid4(),
                                admin_email=f"other-{uuid4().hex[:8]}@acme.test")
    world.when(create_organization, other)
    world.enable_totp()
    with pytest.raises(NotFoundError):
        world.when(suspend_two_factor, SuspendTwoFactor(
            org_id=other.org_id, user_id=world.user_id, actor_id=other.admin_user_id))
    with pytest.raises(NotFoundError):
        world.when(reset_two_factor, ResetTwoFactor(
            org_id=other.org_id, user_id=world.user_id, actor_id=other.admin_user_id))
    assert world.user().two_factor.active_method == "totp"


def test_no_event_carries_a_secret_a_code_or_a_digest(world: World) -> None:
    world.enable_totp()
    world.sign_in()
    world.admin_suspends()
    world.confirm()
    world.admin_resets()
    world.when(begin_two_factor_setup, BeginTwoFactorSetup(
        org_id=world.org.org_id, user_id=world.user_id, method="email", email_code=email_code()))
    world.confirm("email")
    world.sign_in()
    text = world.events_text()
    for secret in (SEALED.decode(), CODE, CODE_HASH, *BACKUP_HASHES, "fp"):
        assert secret not in text


def test_the_state_is_the_same_when_rebuilt_from_the_events(world: World) -> None:
    world.enable_totp()
    world.admin_suspends()
    world.setup_totp()
    live = world.user().two_factor
    rebuilt = User.rebuild(world.user_id, list(world.store.load(world.user_id))).two_factor
    assert live == rebuilt
    assert (rebuilt.pending_method, rebuilt.suspended, rebuilt.confirmable_method) == (
        "totp", True, "totp")


def test_what_a_code_is_checked_against_for_each_purpose() -> None:
    off = TwoFactor()
    on = TwoFactor(method="email", enabled=True, backup_codes_generation=1)
    suspended = dataclasses.replace(on, suspended=True)
    pending = TwoFactor(pending_method="totp")
    assert [off.code_method(p) for p in (LOGIN, SETUP, DISABLE)] == [None, None, None]
    assert [on.code_method(p) for p in (LOGIN, SETUP, DISABLE)] == ["email", None, "email"]
    assert [suspended.code_method(p) for p in (LOGIN, SETUP, DISABLE)] == [
        None, "email", "email"]
    assert [pending.code_method(p) for p in (LOGIN, SETUP, DISABLE)] == [None, "totp", None]
