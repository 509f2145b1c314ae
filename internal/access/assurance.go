package access

// The permissions of audits, nonconformities, management review,
// improvement and certification (the Audits and certification area),
// each kind's beside its grant in assuranceGrants.

var assuranceGrants = Grants{}
