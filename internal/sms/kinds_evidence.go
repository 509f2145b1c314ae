package sms

import (
	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/record"
)

// EvidenceKind declares evidence: what shows that a requirement is met.
var EvidenceKind = record.Kind{
	Entity: "evidence", Prefix: "EVD", Label: "Evidence", Plural: "Evidence", Area: Area,
	Read: access.EvidenceRead, Write: access.EvidenceWrite, History: access.HistoryRead,
	Fields: []record.Field{
		{Name: "title", Label: "Title"},
		{Name: "requirement_id", Label: "Requirement", Display: record.Ref, Ref: "requirement", Help: "The requirement this evidence shows is met."},
		{Name: "owner_id", Label: "Owner", Display: record.Ref, Ref: "user", Help: "Who keeps it current and reviews it by its review day."},
		{Name: "review_by", Label: "Review by", Help: "The day by which it must be looked at again; after it the evidence has expired and counts against the requirement's readiness."},
		{Name: "kind", Label: "Kind", Display: record.Enum, Values: Labels(EvidenceKinds)},
		{Name: "ref_entity", Label: "Kind of record"},
		{Name: "ref_id", Label: "Record"},
		{Name: "url", Label: "Web address"},
		{Name: "file_name", Label: "File"},
		{Name: "file_hash", Label: "File's SHA-256"},
		{Name: "file_type", Label: "File type"},
		{Name: "file_size", Label: "File size"},
		{Name: "notes", Label: "Notes", Display: record.LongText},
	},
	Nav: &record.Nav{Order: 17, Icon: "file-text", Summary: "What shows each requirement is met: documents, files, records and links, each with an owner and a review day."},
}
