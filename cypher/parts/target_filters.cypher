// The user's filters on candidates (only in the *_filtered statements: LadybugDB evaluates
// these per row even when switched off, which doubles the cost of an unfiltered ranking).
  AND ($all_places OR f.province IN $provinces OR f.city IN $cities)
  AND ($no_min OR f.revenue_wan >= $min_revenue)
  AND ($all_badges OR $badge IN f.badges)
