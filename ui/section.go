package ui

// Section is the slug of the section on screen, so that a caller that rebuilds the model
// (the preview reloading changed content) can open the new one at the same place.
func (m Model) Section() string {
	if m.active < 0 || m.active >= len(m.site.Sections) {
		return ""
	}
	return m.site.Sections[m.active].Slug
}
