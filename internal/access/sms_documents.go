package access

// The permissions of documented information (7.5).
const (
	// DocumentsRead: controlled documents, their versions, the checklist
	// and who acknowledged what.
	DocumentsRead Permission = "documents.read"
	// DocumentsWrite: register documents, write drafts, move versions
	// through review, map the checklist.
	DocumentsWrite Permission = "documents.write"
	// DocumentsApprove: may be named a document's approver and approve
	// its versions (only those of documents naming them).
	DocumentsApprove Permission = "documents.approve"
	// DocumentsAcknowledge: mark a document read and understood, for
	// oneself.
	DocumentsAcknowledge Permission = "documents.acknowledge"
)

// documentGrants: every member of staff reads the documents and
// acknowledges those given to them; SMS managers and process owners (who
// write their processes' procedures) maintain them; top management
// approves policy besides them.
var documentGrants = Grants{
	DocumentsRead:        staff,
	DocumentsWrite:       assessors,
	DocumentsApprove:     {Admin, SMSManager, ProcessOwner, TopManagement},
	DocumentsAcknowledge: staff,
}
