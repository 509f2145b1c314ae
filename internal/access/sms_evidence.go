package access

// Evidence's permissions: all staff read the evidence that requirements
// hold; those who do the work (doers) gather and keep it.
const (
	EvidenceRead  Permission = "evidence.read"
	EvidenceWrite Permission = "evidence.write"
)
