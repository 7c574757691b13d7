package httpapi

import (
	"bytes"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"hearth/internal/apperr"
	"hearth/internal/auth"
	"hearth/internal/forum"
	"hearth/internal/kernel"
	"hearth/internal/mentorship"
	"hearth/internal/moderation"
	"hearth/internal/safety"
	"hearth/internal/store"
)

// memberJSON is a member as the API shows it.
type memberJSON struct {
	ID        string    `json:"id"`
	Handle    string    `json:"handle"`
	Role      string    `json:"role"`
	CreatedAt time.Time `json:"created_at"`
}

func toMember(m *store.Member) memberJSON {
	return memberJSON{ID: m.ID, Handle: m.Handle, Role: m.Role, CreatedAt: m.CreatedAt.UTC()}
}

type grantJSON struct {
	Member        memberJSON `json:"member"`
	AccessToken   string     `json:"access_token"`
	RefreshToken  string     `json:"refresh_token,omitempty"` // left out when it came in a cookie
	ExpiresIn     int        `json:"expires_in"`
	RecoveryCodes []string   `json:"recovery_codes,omitempty"`
}

type credentials struct {
	Handle   string `json:"handle"`
	Password string `json:"password"`
}

// POST /auth/register - create an account with a handle and a password
func (a *API) register(c echo.Context) error {
	var in credentials
	if err := bind(c, &in); err != nil {
		return err
	}
	g, codes, err := a.auth.Register(c.Request().Context(), in.Handle, in.Password)
	if err != nil {
		return err
	}
	return a.grant(c, http.StatusCreated, g, codes)
}

// POST /auth/login - sign in
func (a *API) login(c echo.Context) error {
	var in credentials
	if err := bind(c, &in); err != nil {
		return err
	}
	g, err := a.auth.Login(c.Request().Context(), in.Handle, in.Password, a.deviceCookies(c))
	if err != nil {
		return err
	}
	return a.grant(c, http.StatusOK, g, nil)
}

// POST /auth/refresh - trade a refresh token (body or cookie) for a new pair
func (a *API) refresh(c echo.Context) error {
	// JSON is required even with no body: it is what keeps a cross-site
	// form from riding on the cookie.
	body, err := readJSON(c)
	if err != nil {
		return err
	}
	var in struct {
		RefreshToken string `json:"refresh_token"`
	}
	if len(bytes.TrimSpace(body)) > 0 {
		if err := decodeJSON(body, &in); err != nil {
			return err
		}
	}
	fromCookie := in.RefreshToken == ""
	if fromCookie {
		in.RefreshToken = a.refreshCookie(c)
	}
	g, err := a.auth.Refresh(c.Request().Context(), in.RefreshToken)
	if err != nil {
		// Only a refusal ends the cookie; a busy or failing server must not
		// sign the web app out.
		if e, ok := apperr.As(err); ok && (e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden) {
			a.clearRefreshCookie(c)
		}
		return err
	}
	a.setRefreshCookie(c, g.RefreshToken)
	out := toGrant(g, nil)
	if fromCookie {
		// A token that travels in a cookie stays out of scripts' reach.
		out.RefreshToken = ""
	}
	return respond(c, http.StatusOK, out)
}

// POST /auth/recover - sign in with a recovery code and choose a new password
func (a *API) recoverAccount(c echo.Context) error {
	var in struct {
		Handle       string `json:"handle"`
		RecoveryCode string `json:"recovery_code"`
		NewPassword  string `json:"new_password"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	g, err := a.auth.Recover(c.Request().Context(), in.Handle, in.RecoveryCode, in.NewPassword, a.deviceCookies(c))
	if err != nil {
		return err
	}
	return a.grant(c, http.StatusOK, g, nil)
}

// POST /auth/logout - end this session at once
func (a *API) logout(c echo.Context) error {
	if err := a.auth.Logout(c.Request().Context(), principal(c)); err != nil {
		return err
	}
	a.clearRefreshCookie(c)
	return c.NoContent(http.StatusNoContent)
}

// POST /me/password - change the password; other sessions end
func (a *API) changePassword(c echo.Context) error {
	var in struct {
		CurrentPassword string `json:"current_password"`
		NewPassword     string `json:"new_password"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := a.auth.ChangePassword(c.Request().Context(), principal(c), in.CurrentPassword, in.NewPassword); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// GET /me/recovery-codes - how many recovery codes are left
func (a *API) recoveryCodesLeft(c echo.Context) error {
	n, err := a.auth.RecoveryCodesLeft(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, struct {
		Left  int `json:"left"`
		Total int `json:"total"`
	}{n, auth.RecoveryCodes})
}

// POST /me/recovery-codes - a new set of recovery codes, shown once; the
// old ones stop working
func (a *API) renewRecoveryCodes(c echo.Context) error {
	var in struct {
		Password string `json:"password"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	codes, err := a.auth.RenewRecoveryCodes(c.Request().Context(), principal(c), in.Password)
	if err != nil {
		return err
	}
	return respond(c, http.StatusCreated, struct {
		RecoveryCodes []string `json:"recovery_codes"`
	}{codes})
}

// GET /me - who am I
func (a *API) me(c echo.Context) error {
	p := principal(c)
	m, err := a.auth.Member(c.Request().Context(), p)
	if err != nil {
		return err
	}
	circles, err := a.forum.MemberCircles(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, struct {
		memberJSON
		Circles []forum.Circle `json:"circles"`
	}{toMember(m), circles})
}

func (a *API) grant(c echo.Context, status int, g *auth.Grant, codes []string) error {
	a.setRefreshCookie(c, g.RefreshToken)
	if g.Device != nil {
		a.setDeviceCookie(c, g.Device)
	}
	return respond(c, status, toGrant(g, codes))
}

func toGrant(g *auth.Grant, codes []string) grantJSON {
	return grantJSON{Member: toMember(g.Member), AccessToken: g.AccessToken, RefreshToken: g.RefreshToken, ExpiresIn: g.ExpiresIn, RecoveryCodes: codes}
}

// GET /me/export - everything the member wrote, in clear, to take with them
func (a *API) export(c echo.Context) error {
	p := principal(c)
	m, err := a.auth.Member(c.Request().Context(), p)
	if err != nil {
		return err
	}
	w, err := a.forum.Export(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	flags, err := a.moderation.FlagsFiled(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	safe, err := a.safety.Export(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	appeals, err := a.moderation.AppealsFiled(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	mentoring, err := a.mentorship.Export(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="hearth-export.json"`)
	return respond(c, http.StatusOK, struct {
		ExportedAt time.Time  `json:"exported_at"`
		Member     memberJSON `json:"member"`
		*forum.Export
		Mentorships  []mentorship.Mentorship        `json:"mentorships"`
		Messages     []mentorship.ExportedMessage   `json:"mentorship_messages"`
		Offers       []mentorship.ExportedOffer     `json:"mentor_offers"`
		EndReasons   []mentorship.ExportedEndReason `json:"mentorship_end_reasons"`
		Flags        []moderation.FiledFlag         `json:"flags"`
		ReaderSafety *safety.Lists                  `json:"reader_safety"`
		Appeals      []moderation.FiledAppeal       `json:"appeals"`
	}{kernel.Now(), toMember(m), w, mentoring.Mentorships, mentoring.Messages, mentoring.Offers, mentoring.EndReasons, flags, safe, appeals})
}

// DELETE /me - erase the account: its data key is destroyed for good
func (a *API) deleteAccount(c echo.Context) error {
	var in struct {
		Password string `json:"password"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := a.auth.Erase(c.Request().Context(), principal(c), in.Password); err != nil {
		return err
	}
	a.clearRefreshCookie(c)
	return c.NoContent(http.StatusNoContent)
}
