package app

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/store"
)

// Two-factor sign-in with time-based one-time codes (RFC 6238): HMAC-SHA-1,
// 30-second steps, six digits, a code accepted one step early or late for
// clocks that drift, and never twice (each user's newest used step is
// kept). Ten single-use recovery codes, stored as SHA-256 hashes, stand in
// for a lost device.
const (
	totpPeriod        = 30
	totpDigits        = 6
	recoveryCodeCount = 10
	// MFARolesSetting is the settings key listing, comma-separated, the
	// roles that must sign in with a second factor besides administrators.
	MFARolesSetting = "mfa_required_roles"
	issuer          = "Conform"
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// newTOTPSecret returns 160 random bits in base32, as authenticator apps
// take them.
func newTOTPSecret() (string, error) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return b32.EncodeToString(b), nil
}

// TOTPStep is the time step t falls in.
func TOTPStep(t time.Time) int64 { return t.Unix() / totpPeriod }

// TOTPCode is the code of secret (base32) for time step step (RFC 4226's
// HOTP over the step counter).
func TOTPCode(secret string, step int64) (string, error) {
	key, err := b32.DecodeString(strings.ToUpper(strings.TrimRight(secret, "=")))
	if err != nil {
		return "", fmt.Errorf("malformed TOTP secret: %w", err)
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	n := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", totpDigits, n%1_000_000), nil
}

// matchTOTP returns the step, within one of now's, whose code is code.
func matchTOTP(secret, code string, now time.Time) (int64, bool) {
	cur := TOTPStep(now)
	found, ok := int64(0), false
	for _, s := range []int64{cur - 1, cur, cur + 1} {
		want, err := TOTPCode(secret, s)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && !ok {
			found, ok = s, true
		}
	}
	return found, ok
}

// normalizeCode strips what people type around a code: spaces and dashes.
func normalizeCode(code string) string {
	return strings.ToLower(strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, code))
}

func isTOTPCode(code string) bool {
	if len(code) != totpDigits {
		return false
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// newRecoveryCodes returns codes to show once and their hashes to keep:
// 80 random bits each, as four groups of four characters.
func newRecoveryCodes() (codes, hashes []string, err error) {
	for range recoveryCodeCount {
		b := make([]byte, 10)
		if _, err := rand.Read(b); err != nil {
			return nil, nil, err
		}
		s := strings.ToLower(b32.EncodeToString(b))
		codes = append(codes, s[0:4]+"-"+s[4:8]+"-"+s[8:12]+"-"+s[12:16])
		hashes = append(hashes, sha256Hex(s))
	}
	return codes, hashes, nil
}

// otpauthURI is what the QR code holds for an authenticator app.
func otpauthURI(email, secret string) string {
	v := url.Values{"secret": {secret}, "issuer": {issuer}, "algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
	return "otpauth://totp/" + url.PathEscape(issuer+":"+email) + "?" + v.Encode()
}

// checkSecondFactor checks code, a one-time code or a recovery code,
// against a user's enabled second factor and spends it. A code is refused
// if its step was used already, a recovery code if it was used.
func (a *App) checkSecondFactor(ctx context.Context, m store.MFA, code string) (bool, error) {
	code = normalizeCode(code)
	if !m.Enabled || code == "" || len(code) > 64 {
		return false, nil
	}
	if isTOTPCode(code) {
		step, ok := matchTOTP(m.Secret, code, a.db.Now())
		if !ok {
			return false, nil
		}
		return a.db.UseTOTPStep(ctx, m.UserID, step)
	}
	return a.db.UseRecoveryCode(ctx, m.UserID, sha256Hex(code), a.db.Now())
}

// MFAStatus is a user's two-factor sign-in, as their account page shows it.
type MFAStatus struct {
	Enabled      bool
	EnabledAt    *time.Time
	RecoveryLeft int
	Required     bool // their role must sign in with a second factor
}

// MFAStatus tells the actor about their own two-factor sign-in.
func (a *App) MFAStatus(ctx context.Context, actor access.Actor) (MFAStatus, error) {
	if actor.UserID == 0 {
		return MFAStatus{}, errs.E(errs.Unauthenticated, "sign in first")
	}
	var st MFAStatus
	req, err := a.MFARequired(ctx, actor.Role)
	if err != nil {
		return st, err
	}
	st.Required = req
	m, err := a.db.GetMFA(ctx, actor.UserID)
	if errs.Is(err, errs.NotFound) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	st.Enabled, st.EnabledAt = m.Enabled, m.EnabledAt
	if m.Enabled {
		st.RecoveryLeft = m.RecoveryLeft
	}
	return st, nil
}

// MFAOffer is a new secret for an authenticator app: as text to type in
// and as the otpauth URI a QR code carries.
type MFAOffer struct {
	Secret string
	URI    string
}

// OfferMFA makes the actor a new secret to set up two-factor sign-in
// with; it is switched on only once a code from it is confirmed
// (EnableMFA).
func (a *App) OfferMFA(ctx context.Context, actor access.Actor) (MFAOffer, error) {
	u, err := a.selfUser(ctx, actor)
	if err != nil {
		return MFAOffer{}, err
	}
	secret, err := newTOTPSecret()
	if err != nil {
		return MFAOffer{}, err
	}
	stored, err := a.db.OfferMFA(ctx, u.ID, secret, a.db.Now())
	if err != nil {
		return MFAOffer{}, err
	}
	if !stored {
		return MFAOffer{}, errs.E(errs.Conflict, "two-factor sign-in is already on; switch it off first to move it to another device")
	}
	return MFAOffer{Secret: secret, URI: otpauthURI(u.Email, secret)}, nil
}

// PendingMFAOffer is the secret offered to the actor and not yet
// confirmed, to show again (after a wrong code, say).
func (a *App) PendingMFAOffer(ctx context.Context, actor access.Actor) (MFAOffer, bool, error) {
	u, err := a.selfUser(ctx, actor)
	if err != nil {
		return MFAOffer{}, false, err
	}
	m, err := a.db.GetMFA(ctx, u.ID)
	if errs.Is(err, errs.NotFound) || (err == nil && m.Enabled) {
		return MFAOffer{}, false, nil
	}
	if err != nil {
		return MFAOffer{}, false, err
	}
	return MFAOffer{Secret: m.Secret, URI: otpauthURI(u.Email, m.Secret)}, true, nil
}

// EnableMFA switches two-factor sign-in on for the actor once code, from
// the secret OfferMFA made, is right. It returns the recovery codes, which
// are shown once and kept only as hashes. Wrong codes are throttled.
func (a *App) EnableMFA(ctx context.Context, actor access.Actor, code string) ([]string, error) {
	u, err := a.selfUser(ctx, actor)
	if err != nil {
		return nil, err
	}
	code = normalizeCode(code)
	if code == "" {
		return nil, errs.Field("code", "is required: enter the six-digit code your app shows")
	}
	m, err := a.db.GetMFA(ctx, u.ID)
	if errs.Is(err, errs.NotFound) {
		return nil, errs.E(errs.Conflict, "start setting up two-factor sign-in first")
	}
	if err != nil {
		return nil, err
	}
	if m.Enabled {
		return nil, errs.E(errs.Conflict, "two-factor sign-in is already on")
	}
	key := fmt.Sprintf("mfa:%d", u.ID)
	if err := a.countAttempt(ctx, key, freeFailures, a.db.Now(), "too many wrong codes"); err != nil {
		return nil, err
	}
	step, ok := matchTOTP(m.Secret, code, a.db.Now())
	if !isTOTPCode(code) || !ok {
		return nil, errs.Field("code", wrongCode)
	}
	codes, hashes, err := newRecoveryCodes()
	if err != nil {
		return nil, err
	}
	if err := a.db.InTx(ctx, func(tx *store.Tx) error {
		return tx.EnableMFA(ctx, actor, u.ID, m.Secret, step, hashes)
	}); err != nil {
		return nil, err
	}
	return codes, a.db.ClearLoginFailures(ctx, key)
}

const wrongCode = "is not the code your app shows now; check that the device's clock is right and try the newest code"

// DisableMFA switches the actor's two-factor sign-in off; it takes their
// password and a code (or a recovery code), throttled as password checks
// are. A role that must sign in with a second factor cannot switch it off.
func (a *App) DisableMFA(ctx context.Context, actor access.Actor, password, code string) error {
	u, err := a.selfUser(ctx, actor)
	if err != nil {
		return err
	}
	req, err := a.MFARequired(ctx, u.Role)
	if err != nil {
		return err
	}
	if req {
		return errs.E(errs.Conflict, "your role (%s) must sign in with a second factor, so it cannot be switched off", u.Role.Label())
	}
	var c errs.Checker
	c.Check(password != "", "password", "is required")
	c.Check(normalizeCode(code) != "", "code", "is required")
	if err := c.Err(); err != nil {
		return err
	}
	m, err := a.db.GetMFA(ctx, u.ID)
	if errs.Is(err, errs.NotFound) || (err == nil && !m.Enabled) {
		return errs.E(errs.Conflict, "two-factor sign-in is not on")
	}
	if err != nil {
		return err
	}
	key := fmt.Sprintf("passwd:%d", u.ID)
	if err := a.countAttempt(ctx, key, freeFailures, a.db.Now(), "too many wrong passwords or codes"); err != nil {
		return err
	}
	if ok, _ := a.verifyPassword(u.PasswordHash, password); !ok {
		return errs.Field("password", "is not your current password")
	}
	ok, err := a.checkSecondFactor(ctx, m, code)
	if err != nil {
		return err
	}
	if !ok {
		return errs.Field("code", wrongCode)
	}
	if err := a.db.InTx(ctx, func(tx *store.Tx) error { return tx.DisableMFA(ctx, actor, u.ID) }); err != nil {
		return err
	}
	return a.db.ClearLoginFailures(ctx, key)
}

// RegenerateRecoveryCodes gives the actor new recovery codes, once a code
// (or one of the old recovery codes) shows it is them; the old ones stop
// working.
func (a *App) RegenerateRecoveryCodes(ctx context.Context, actor access.Actor, code string) ([]string, error) {
	u, err := a.selfUser(ctx, actor)
	if err != nil {
		return nil, err
	}
	if normalizeCode(code) == "" {
		return nil, errs.Field("code", "is required")
	}
	m, err := a.db.GetMFA(ctx, u.ID)
	if errs.Is(err, errs.NotFound) || (err == nil && !m.Enabled) {
		return nil, errs.E(errs.Conflict, "two-factor sign-in is not on")
	}
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("mfa:%d", u.ID)
	if err := a.countAttempt(ctx, key, freeFailures, a.db.Now(), "too many wrong codes"); err != nil {
		return nil, err
	}
	ok, err := a.checkSecondFactor(ctx, m, code)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errs.Field("code", wrongCode)
	}
	codes, hashes, err := newRecoveryCodes()
	if err != nil {
		return nil, err
	}
	if err := a.db.InTx(ctx, func(tx *store.Tx) error { return tx.ReplaceRecoveryCodes(ctx, actor, u.ID, hashes) }); err != nil {
		return nil, err
	}
	return codes, a.db.ClearLoginFailures(ctx, key)
}

// MFARequiredRoles lists the roles that must sign in with a second
// factor: administrators always, and the roles an administrator chose.
func (a *App) MFARequiredRoles(ctx context.Context) ([]access.Role, error) {
	v, _, err := a.db.SettingValue(ctx, MFARolesSetting)
	if err != nil {
		return nil, err
	}
	out := []access.Role{access.Admin}
	for s := range strings.SplitSeq(v, ",") {
		if r := access.Role(strings.TrimSpace(s)); r.Valid() && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// MFARequired reports whether role must sign in with a second factor.
func (a *App) MFARequired(ctx context.Context, role access.Role) (bool, error) {
	roles, err := a.MFARequiredRoles(ctx)
	return slices.Contains(roles, role), err
}

// SetMFARequiredRoles sets the roles, besides administrators, that must
// sign in with a second factor; it applies from each user's next sign-in.
// Only administrators may; the change is in the audit trail.
func (a *App) SetMFARequiredRoles(ctx context.Context, actor access.Actor, roles []access.Role) error {
	if err := Require(actor, access.UsersWrite, "choose who must sign in with a second factor"); err != nil {
		return err
	}
	var names []string
	for _, r := range access.Roles {
		if r != access.Admin && slices.Contains(roles, r) {
			names = append(names, string(r))
		}
	}
	for _, r := range roles {
		if !r.Valid() {
			return errs.Field("roles", fmt.Sprintf("%q is not a role; the roles are %s", r, roleList()))
		}
	}
	before, _, err := a.db.SettingValue(ctx, MFARolesSetting)
	if err != nil {
		return err
	}
	after := strings.Join(names, ",")
	if after == before {
		return nil
	}
	return a.db.InTx(ctx, func(tx *store.Tx) error { return tx.PutSetting(ctx, actor, MFARolesSetting, before, after) })
}

func roleList() string {
	var s []string
	for _, r := range access.Roles {
		s = append(s, string(r))
	}
	return strings.Join(s, ", ")
}
