package restapi

// ETag is the ETag of a record at version, for an operation of an area's
// own that answers with a record.
func ETag(version int64) string { return etag(version) }
