package web

import "net/http"

// shownStatuses are the statuses whose error page people may see; the
// page's title is the status's text, in the reader's language.
var shownStatuses = []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound,
	http.StatusMethodNotAllowed, http.StatusConflict, http.StatusPreconditionFailed, http.StatusRequestEntityTooLarge,
	http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity, http.StatusTooManyRequests,
	http.StatusInternalServerError, http.StatusServiceUnavailable}

// commonMessages are the messages from the use cases that people meet
// most on the pages (field errors, refusals); the pages show them in the
// reader's language. A message not here is shown as the use case wrote
// it, in English.
var commonMessages = []string{
	"is required",
	"is not your current password",
	"must differ from the current password",
	"must be an email address such as name@example.com",
	"must be a single line of text",
	"must be valid UTF-8 text",
	"must not contain NUL characters",
	"must be a positive number",
	"must be in the future",
	"must be at most 100 characters",
	"must be at most 200 characters",
	"must be at most 4000 characters",
	"must be at most 254 characters",
	"names no user",
	"names no organisation",
	"names a deactivated user",
	"must be provider or customer",
	"must be requester or external_auditor for a user of a customer organisation",
	"must be system, light or dark",
	"is not a time zone name such as Europe/Berlin or America/New_York",
	"is already used by another user",
	"the email or password is wrong",
	"is required: enter the six-digit code your app shows",
	"is wrong or was used already; enter the newest code your app shows, or an unused recovery code",
	"There is nothing at this address.",
	"There is nothing at this address. Check it, or start again from the home page.",
	"you cannot delete your own account",
	"must be a date such as 2027-01-31",
	"this user has no second factor to reset",
	"you cannot reset your own second factor; switch it off on your account page",
	// What the audit trail records: actions, the means of a change, the
	// kinds of security event.
	"create", "update", "delete", "session", "token", "system", "cli",
	"Failed sign-in", "Throttled sign-in", "Permission denied", "API token used",
}
