package access

// Management review's and the improvement register's permissions.
const (
	// ManagementReviewsRead and ManagementReviewsWrite: management
	// reviews, their input packs, minutes and decisions.
	ManagementReviewsRead  Permission = "management_reviews.read"
	ManagementReviewsWrite Permission = "management_reviews.write"
	// ImprovementsRead and ImprovementsWrite: the improvement register;
	// ImprovementsDecide: approve or reject an evaluated opportunity.
	ImprovementsRead   Permission = "improvements.read"
	ImprovementsWrite  Permission = "improvements.write"
	ImprovementsDecide Permission = "improvements.decide"
)

// reviewers run management reviews: top management, who chairs them, and
// the SMS managers, who prepare them.
var reviewers = []Role{Admin, SMSManager, TopManagement}

// reviewsGrants: all staff read the reviews and the register, and may
// raise an opportunity for improvement; deciding on one is management's.
var reviewsGrants = Grants{
	ManagementReviewsRead:  staff,
	ManagementReviewsWrite: reviewers,
	ImprovementsRead:       staff,
	ImprovementsWrite:      staff,
	ImprovementsDecide:     reviewers,
}
