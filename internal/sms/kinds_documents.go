package sms

import (
	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/record"
)

// DocumentKind declares controlled documents (7.5).
var DocumentKind = record.Kind{
	Entity: "document", Prefix: "DOC", Label: "Document", Plural: "Documents", Area: Area,
	Read: access.DocumentsRead, Write: access.DocumentsWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "title", Label: "Title"},
		{Name: "type", Label: "Type", Display: record.Enum, Values: Labels(DocumentTypes)},
		{Name: "owner_id", Label: "Owner", Display: record.Ref, Ref: "user", Help: "Who answers for the document: keeps it current and starts its reviews."},
		{Name: "classification", Label: "Classification", Display: record.Enum, Values: Labels(Classifications), Help: ClassificationHelp},
		{Name: "summary", Label: "Summary", Display: record.LongText},
		{Name: "review_months", Label: "Review every (months)", Help: "How often the document is reviewed to keep it suitable; 0 for no regular review. The next review is due this many months after the last."},
		{Name: "reviewed_on", Label: "Last reviewed on", Help: "Set when a version is approved; change it when a review found nothing to change."},
		{Name: "review_due_on", Label: "Next review due"},
		{Name: "status", Label: "Status", Display: record.Enum, Values: Labels(DocumentStatuses)},
		{Name: "current_version", Label: "Version in force"},
		{Name: "approver_ids", Label: "Approvers", Display: record.RefList, Ref: "user", Help: "The people who approve its versions."},
		{Name: "quorum", Label: "Approvals needed", Help: "How many of the approvers must approve a version; 0 or 1: one is enough."},
		{Name: "self_approval", Label: "Authors may approve", Display: record.Flag, Help: "Whether the author of a version may approve it too. Off, someone else must look at every change."},
		{Name: "requirement_ids", Label: "Requirements", Display: record.RefList, Ref: "requirement", Help: "The requirements this document helps meet."},
		{Name: "audience_roles", Label: "Readers by role", Help: "Everyone with these roles is asked to read and acknowledge each approved version."},
		{Name: "audience_team_ids", Label: "Reader teams", Display: record.RefList, Ref: "team"},
		{Name: "audience_user_ids", Label: "Readers", Display: record.RefList, Ref: "user"},
	},
	Nav: &record.Nav{Order: 30, Icon: "file-text", Summary: "Policies, plans, processes and procedures under control: versions, approval, reviews and who has read them."},
}

// DocumentVersionKind declares documents' versions.
var DocumentVersionKind = record.Kind{
	Entity: "document_version", Prefix: "DOCV", Label: "Document version", Plural: "Document versions", Area: Area,
	Read: access.DocumentsRead, Write: access.DocumentsWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "document_id", Label: "Document", Display: record.Ref, Ref: "document"},
		{Name: "number", Label: "Number"},
		{Name: "state", Label: "State", Display: record.Enum, Values: Labels(VersionStates)},
		{Name: "content", Label: "Content", Display: record.LongText},
		{Name: "change_note", Label: "What changed", Display: record.LongText},
		{Name: "approved_at", Label: "Approved at", Display: record.Time},
		{Name: "approval_ids", Label: "Approved by", Display: record.RefList, Ref: "user"},
		{Name: "file", Label: "File", Help: "The uploaded file that is the version's content, beside or instead of the text."},
	},
}

// AcknowledgementKind declares acknowledgements: someone read and
// understood a version.
var AcknowledgementKind = record.Kind{
	Entity: "document_acknowledgement", Prefix: "ACK", Label: "Acknowledgement", Plural: "Acknowledgements", Segment: "document-acknowledgements", Area: Area,
	Read: access.DocumentsRead, Write: access.DocumentsAcknowledge, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "document_id", Label: "Document", Display: record.Ref, Ref: "document"},
		{Name: "version_id", Label: "Version", Display: record.Ref, Ref: "document_version"},
		{Name: "user_id", Label: "Read by", Display: record.Ref, Ref: "user"},
	},
}

// RequiredDocumentKind declares the checklist's mappings: which document
// fulfils an item of the documented information the standard asks for.
var RequiredDocumentKind = record.Kind{
	Entity: "required_document", Prefix: "RQD", Label: "Required document", Plural: "Required documents", Segment: "document-checklist", Area: Area,
	Read: access.DocumentsRead, Write: access.DocumentsWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "item", Label: "Item", Display: record.Enum, Values: requiredItemLabels()},
		{Name: "document_id", Label: "Document", Display: record.Ref, Ref: "document"},
	},
	Nav: &record.Nav{Order: 31, Icon: "clipboard-check", Summary: "The documented information the standard asks for, each item with the document that fulfils it: how much is approved, and what is missing."},
}

// DocumentKinds are the kinds of documented information.
func DocumentKinds() []record.Kind {
	return []record.Kind{DocumentKind, DocumentVersionKind, AcknowledgementKind, RequiredDocumentKind}
}

func requiredItemLabels() map[string]string {
	m := make(map[string]string, len(RequiredItems))
	for _, it := range RequiredItems {
		m[it.Code] = it.Clause + " " + it.Title
	}
	return m
}
