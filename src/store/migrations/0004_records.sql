-- 0004: the khuyến công records. One table per record type of
-- src/model/entities.c (test_record checks that they agree). Every table has
-- the system columns: version (optimistic concurrency), times, today's
-- province (scoping), the province of the time for facts under old units,
-- and the folded search key.

-- craft village (làng nghề)
CREATE TABLE villages (
  id {{ID}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  province_code TEXT,
  old_province_code TEXT,
  search_key TEXT NOT NULL DEFAULT '',
  name TEXT,
  commune_id BIGINT REFERENCES units(id),
  craft_group TEXT,
  craft TEXT,
  traditional BIGINT,
  recognised BIGINT,
  decision_no TEXT,
  decision_date TEXT,
  illustrative BIGINT,
  note TEXT
);
CREATE INDEX villages_province ON villages(province_code);
CREATE INDEX villages_old_province ON villages(old_province_code);
CREATE INDEX villages_commune_id ON villages(commune_id);
CREATE INDEX villages_craft_group ON villages(craft_group);
CREATE INDEX villages_traditional ON villages(traditional);
CREATE INDEX villages_recognised ON villages(recognised);
CREATE INDEX villages_illustrative ON villages(illustrative);

-- establishment (cơ sở CNNT)
CREATE TABLE establishments (
  id {{ID}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  province_code TEXT,
  old_province_code TEXT,
  search_key TEXT NOT NULL DEFAULT '',
  name TEXT,
  kind TEXT,
  tax_code TEXT,
  industry_code TEXT,
  industry_edition TEXT,
  address TEXT,
  commune_id BIGINT REFERENCES units(id),
  village_id BIGINT REFERENCES villages(id),
  founded_year BIGINT,
  workers BIGINT,
  workers_female BIGINT,
  revenue TEXT,
  owner_female BIGINT,
  owner_ethnic BIGINT,
  contact_name TEXT,
  phone TEXT,
  email TEXT,
  channels TEXT,
  illustrative BIGINT,
  note TEXT
);
CREATE INDEX establishments_province ON establishments(province_code);
CREATE INDEX establishments_old_province ON establishments(old_province_code);
CREATE INDEX establishments_kind ON establishments(kind);
CREATE UNIQUE INDEX establishments_tax_code ON establishments(tax_code);
CREATE INDEX establishments_industry_code ON establishments(industry_code);
CREATE INDEX establishments_commune_id ON establishments(commune_id);
CREATE INDEX establishments_village_id ON establishments(village_id);
CREATE INDEX establishments_owner_female ON establishments(owner_female);
CREATE INDEX establishments_owner_ethnic ON establishments(owner_ethnic);
CREATE INDEX establishments_illustrative ON establishments(illustrative);

-- village yearly figures (số liệu năm của làng nghề)
CREATE TABLE village_years (
  id {{ID}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  province_code TEXT,
  old_province_code TEXT,
  search_key TEXT NOT NULL DEFAULT '',
  village_id BIGINT REFERENCES villages(id),
  year BIGINT,
  households BIGINT,
  craft_households BIGINT,
  workers BIGINT,
  production_value BIGINT,
  env_status TEXT
);
CREATE INDEX village_years_province ON village_years(province_code);
CREATE INDEX village_years_old_province ON village_years(old_province_code);
CREATE INDEX village_years_village_id ON village_years(village_id);
CREATE INDEX village_years_year ON village_years(year);
CREATE INDEX village_years_env_status ON village_years(env_status);

-- programme (chương trình)
CREATE TABLE programmes (
  id {{ID}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  province_code TEXT,
  old_province_code TEXT,
  search_key TEXT NOT NULL DEFAULT '',
  code TEXT,
  name TEXT,
  kind TEXT,
  level TEXT,
  province TEXT,
  owner TEXT,
  period_from BIGINT,
  period_to BIGINT,
  legal_basis TEXT,
  decision_date TEXT,
  budget BIGINT,
  illustrative BIGINT,
  note TEXT
);
CREATE INDEX programmes_province ON programmes(province_code);
CREATE INDEX programmes_old_province ON programmes(old_province_code);
CREATE UNIQUE INDEX programmes_code ON programmes(code);
CREATE INDEX programmes_kind ON programmes(kind);
CREATE INDEX programmes_level ON programmes(level);
CREATE INDEX programmes_illustrative ON programmes(illustrative);

-- target (mục tiêu)
CREATE TABLE targets (
  id {{ID}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  province_code TEXT,
  old_province_code TEXT,
  search_key TEXT NOT NULL DEFAULT '',
  programme_id BIGINT REFERENCES programmes(id),
  indicator TEXT,
  description TEXT,
  value BIGINT,
  value_hi BIGINT,
  value_scale INTEGER,
  value_qual TEXT,
  measure TEXT,
  year BIGINT,
  note TEXT
);
CREATE INDEX targets_province ON targets(province_code);
CREATE INDEX targets_old_province ON targets(old_province_code);
CREATE INDEX targets_programme_id ON targets(programme_id);
CREATE INDEX targets_indicator ON targets(indicator);
CREATE INDEX targets_year ON targets(year);

-- annual plan (kế hoạch khuyến công)
CREATE TABLE plans (
  id {{ID}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  province_code TEXT,
  old_province_code TEXT,
  search_key TEXT NOT NULL DEFAULT '',
  name TEXT,
  province TEXT,
  year BIGINT,
  programme_id BIGINT REFERENCES programmes(id),
  budget_national BIGINT,
  budget_local BIGINT,
  budget_counterpart BIGINT,
  budget_other BIGINT,
  decision_no TEXT,
  decision_date TEXT,
  illustrative BIGINT
);
CREATE INDEX plans_province ON plans(province_code);
CREATE INDEX plans_old_province ON plans(old_province_code);
CREATE INDEX plans_year ON plans(year);
CREATE INDEX plans_programme_id ON plans(programme_id);
CREATE INDEX plans_illustrative ON plans(illustrative);

-- project (đề án)
CREATE TABLE projects (
  id {{ID}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  province_code TEXT,
  old_province_code TEXT,
  search_key TEXT NOT NULL DEFAULT '',
  code TEXT,
  title TEXT,
  year BIGINT,
  province TEXT,
  plan_id BIGINT REFERENCES plans(id),
  programme_id BIGINT REFERENCES programmes(id),
  content_type TEXT,
  kind TEXT,
  status TEXT,
  implementing_unit TEXT,
  establishment_id BIGINT REFERENCES establishments(id),
  cost_total BIGINT,
  approved_national BIGINT,
  approved_local BIGINT,
  approved_counterpart BIGINT,
  approved_other BIGINT,
  advanced_national BIGINT,
  advanced_local BIGINT,
  disbursed_national BIGINT,
  disbursed_local BIGINT,
  disbursed_counterpart BIGINT,
  disbursed_other BIGINT,
  illustrative BIGINT,
  note TEXT
);
CREATE INDEX projects_province ON projects(province_code);
CREATE INDEX projects_old_province ON projects(old_province_code);
CREATE UNIQUE INDEX projects_code ON projects(code);
CREATE INDEX projects_year ON projects(year);
CREATE INDEX projects_plan_id ON projects(plan_id);
CREATE INDEX projects_programme_id ON projects(programme_id);
CREATE INDEX projects_content_type ON projects(content_type);
CREATE INDEX projects_kind ON projects(kind);
CREATE INDEX projects_status ON projects(status);
CREATE INDEX projects_establishment_id ON projects(establishment_id);
CREATE INDEX projects_illustrative ON projects(illustrative);

-- project step (bước của đề án)
CREATE TABLE project_events (
  id {{ID}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  province_code TEXT,
  old_province_code TEXT,
  search_key TEXT NOT NULL DEFAULT '',
  project_id BIGINT REFERENCES projects(id),
  status TEXT,
  from_status TEXT,
  event_date TEXT,
  decision_no TEXT,
  note TEXT
);
CREATE INDEX project_events_province ON project_events(province_code);
CREATE INDEX project_events_old_province ON project_events(old_province_code);
CREATE INDEX project_events_project_id ON project_events(project_id);
CREATE INDEX project_events_event_date ON project_events(event_date);

-- beneficiary (cơ sở thụ hưởng)
CREATE TABLE beneficiaries (
  id {{ID}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  province_code TEXT,
  old_province_code TEXT,
  search_key TEXT NOT NULL DEFAULT '',
  project_id BIGINT REFERENCES projects(id),
  establishment_id BIGINT REFERENCES establishments(id),
  support_amount BIGINT,
  note TEXT
);
CREATE INDEX beneficiaries_province ON beneficiaries(province_code);
CREATE INDEX beneficiaries_old_province ON beneficiaries(old_province_code);
CREATE INDEX beneficiaries_project_id ON beneficiaries(project_id);
CREATE INDEX beneficiaries_establishment_id ON beneficiaries(establishment_id);

-- training class (lớp đào tạo)
CREATE TABLE training_classes (
  id {{ID}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  province_code TEXT,
  old_province_code TEXT,
  search_key TEXT NOT NULL DEFAULT '',
  project_id BIGINT REFERENCES projects(id),
  province TEXT,
  kind TEXT,
  topic TEXT,
  place TEXT,
  date_from TEXT,
  date_to TEXT,
  year BIGINT,
  trainees BIGINT,
  trainees_female BIGINT,
  completed BIGINT,
  employed BIGINT,
  illustrative BIGINT
);
CREATE INDEX training_classes_province ON training_classes(province_code);
CREATE INDEX training_classes_old_province ON training_classes(old_province_code);
CREATE INDEX training_classes_project_id ON training_classes(project_id);
CREATE INDEX training_classes_kind ON training_classes(kind);
CREATE INDEX training_classes_year ON training_classes(year);
CREATE INDEX training_classes_illustrative ON training_classes(illustrative);

-- demonstration model (mô hình trình diễn)
CREATE TABLE demo_models (
  id {{ID}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  province_code TEXT,
  old_province_code TEXT,
  search_key TEXT NOT NULL DEFAULT '',
  project_id BIGINT REFERENCES projects(id),
  establishment_id BIGINT REFERENCES establishments(id),
  technology TEXT,
  year BIGINT,
  total_investment BIGINT,
  support_amount BIGINT,
  counterpart BIGINT,
  jobs_created BIGINT,
  avg_income BIGINT,
  illustrative BIGINT
);
CREATE INDEX demo_models_province ON demo_models(province_code);
CREATE INDEX demo_models_old_province ON demo_models(old_province_code);
CREATE INDEX demo_models_project_id ON demo_models(project_id);
CREATE INDEX demo_models_establishment_id ON demo_models(establishment_id);
CREATE INDEX demo_models_year ON demo_models(year);
CREATE INDEX demo_models_illustrative ON demo_models(illustrative);

-- machinery support (hỗ trợ máy móc thiết bị)
CREATE TABLE machinery (
  id {{ID}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  province_code TEXT,
  old_province_code TEXT,
  search_key TEXT NOT NULL DEFAULT '',
  project_id BIGINT REFERENCES projects(id),
  establishment_id BIGINT REFERENCES establishments(id),
  equipment TEXT,
  year BIGINT,
  value BIGINT,
  support_amount BIGINT,
  funding_source TEXT,
  illustrative BIGINT
);
CREATE INDEX machinery_province ON machinery(province_code);
CREATE INDEX machinery_old_province ON machinery(old_province_code);
CREATE INDEX machinery_project_id ON machinery(project_id);
CREATE INDEX machinery_establishment_id ON machinery(establishment_id);
CREATE INDEX machinery_year ON machinery(year);
CREATE INDEX machinery_funding_source ON machinery(funding_source);
CREATE INDEX machinery_illustrative ON machinery(illustrative);

-- trade fair (hội chợ, triển lãm)
CREATE TABLE trade_fairs (
  id {{ID}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  province_code TEXT,
  old_province_code TEXT,
  search_key TEXT NOT NULL DEFAULT '',
  project_id BIGINT REFERENCES projects(id),
  province TEXT,
  name TEXT,
  place TEXT,
  abroad BIGINT,
  country TEXT,
  date_from TEXT,
  date_to TEXT,
  year BIGINT,
  booths BIGINT,
  establishments BIGINT,
  visitors BIGINT,
  importers BIGINT,
  importer_countries BIGINT,
  contracts BIGINT,
  contract_value BIGINT,
  contract_currency TEXT,
  illustrative BIGINT
);
CREATE INDEX trade_fairs_province ON trade_fairs(province_code);
CREATE INDEX trade_fairs_old_province ON trade_fairs(old_province_code);
CREATE INDEX trade_fairs_project_id ON trade_fairs(project_id);
CREATE INDEX trade_fairs_abroad ON trade_fairs(abroad);
CREATE INDEX trade_fairs_year ON trade_fairs(year);
CREATE INDEX trade_fairs_illustrative ON trade_fairs(illustrative);

-- typical product award (sản phẩm CNNT tiêu biểu)
CREATE TABLE awards (
  id {{ID}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  province_code TEXT,
  old_province_code TEXT,
  search_key TEXT NOT NULL DEFAULT '',
  product_name TEXT,
  establishment_id BIGINT REFERENCES establishments(id),
  project_id BIGINT REFERENCES projects(id),
  level TEXT,
  product_group TEXT,
  year BIGINT,
  score BIGINT,
  certificate_no TEXT,
  ocop_stars BIGINT,
  illustrative BIGINT
);
CREATE INDEX awards_province ON awards(province_code);
CREATE INDEX awards_old_province ON awards(old_province_code);
CREATE INDEX awards_establishment_id ON awards(establishment_id);
CREATE INDEX awards_project_id ON awards(project_id);
CREATE INDEX awards_level ON awards(level);
CREATE INDEX awards_product_group ON awards(product_group);
CREATE INDEX awards_year ON awards(year);
CREATE INDEX awards_ocop_stars ON awards(ocop_stars);
CREATE INDEX awards_illustrative ON awards(illustrative);

-- other support (hỗ trợ khác)
CREATE TABLE other_support (
  id {{ID}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  province_code TEXT,
  old_province_code TEXT,
  search_key TEXT NOT NULL DEFAULT '',
  project_id BIGINT REFERENCES projects(id),
  establishment_id BIGINT REFERENCES establishments(id),
  kind TEXT,
  year BIGINT,
  amount BIGINT,
  outcome TEXT,
  energy_saved BIGINT,
  illustrative BIGINT
);
CREATE INDEX other_support_province ON other_support(province_code);
CREATE INDEX other_support_old_province ON other_support(old_province_code);
CREATE INDEX other_support_project_id ON other_support(project_id);
CREATE INDEX other_support_establishment_id ON other_support(establishment_id);
CREATE INDEX other_support_kind ON other_support(kind);
CREATE INDEX other_support_year ON other_support(year);
CREATE INDEX other_support_illustrative ON other_support(illustrative);

-- consultant (tư vấn viên)
CREATE TABLE consultants (
  id {{ID}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  province_code TEXT,
  old_province_code TEXT,
  search_key TEXT NOT NULL DEFAULT '',
  name TEXT,
  expertise TEXT,
  province TEXT,
  organisation TEXT,
  phone TEXT,
  email TEXT,
  certifications TEXT,
  illustrative BIGINT
);
CREATE INDEX consultants_province ON consultants(province_code);
CREATE INDEX consultants_old_province ON consultants(old_province_code);
CREATE INDEX consultants_illustrative ON consultants(illustrative);

-- consultant assignment (phân công tư vấn)
CREATE TABLE consultant_assignments (
  id {{ID}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  province_code TEXT,
  old_province_code TEXT,
  search_key TEXT NOT NULL DEFAULT '',
  consultant_id BIGINT REFERENCES consultants(id),
  project_id BIGINT REFERENCES projects(id),
  role TEXT,
  note TEXT
);
CREATE INDEX consultant_assignments_province ON consultant_assignments(province_code);
CREATE INDEX consultant_assignments_old_province ON consultant_assignments(old_province_code);
CREATE INDEX consultant_assignments_consultant_id ON consultant_assignments(consultant_id);
CREATE INDEX consultant_assignments_project_id ON consultant_assignments(project_id);
CREATE INDEX consultant_assignments_role ON consultant_assignments(role);

-- proposal (đề xuất của cơ sở)
CREATE TABLE proposals (
  id {{ID}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  province_code TEXT,
  old_province_code TEXT,
  search_key TEXT NOT NULL DEFAULT '',
  establishment_id BIGINT REFERENCES establishments(id),
  title TEXT,
  content_type TEXT,
  year BIGINT,
  needs TEXT,
  cost BIGINT,
  counterpart BIGINT,
  status TEXT,
  project_id BIGINT REFERENCES projects(id),
  review_note TEXT
);
CREATE INDEX proposals_province ON proposals(province_code);
CREATE INDEX proposals_old_province ON proposals(old_province_code);
CREATE INDEX proposals_establishment_id ON proposals(establishment_id);
CREATE INDEX proposals_content_type ON proposals(content_type);
CREATE INDEX proposals_year ON proposals(year);
CREATE INDEX proposals_status ON proposals(status);
CREATE INDEX proposals_project_id ON proposals(project_id);

-- reported figure (số liệu báo cáo)
CREATE TABLE figures (
  id {{ID}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  province_code TEXT,
  old_province_code TEXT,
  search_key TEXT NOT NULL DEFAULT '',
  indicator TEXT,
  subject TEXT,
  unit_era TEXT,
  unit_id BIGINT REFERENCES units(id),
  period_from BIGINT,
  period_to BIGINT,
  value BIGINT,
  value_hi BIGINT,
  value_scale INTEGER,
  value_qual TEXT,
  measure TEXT,
  content_type TEXT,
  source_title TEXT,
  source_publisher TEXT,
  source_date TEXT,
  source_url TEXT,
  quote TEXT
);
CREATE INDEX figures_province ON figures(province_code);
CREATE INDEX figures_old_province ON figures(old_province_code);
CREATE INDEX figures_indicator ON figures(indicator);
CREATE INDEX figures_unit_era ON figures(unit_era);
CREATE INDEX figures_unit_id ON figures(unit_id);
CREATE INDEX figures_period_from ON figures(period_from);
CREATE INDEX figures_content_type ON figures(content_type);

-- Support caps are rules kept as data with their legal basis and validity
-- (DOMAIN.md: Circular 28/2018/TT-BTC for national funds). A project whose
-- approved national funds exceed a cap in force in its year is flagged.
CREATE TABLE support_caps (
  id {{ID}},
  content_type TEXT NOT NULL,
  source TEXT NOT NULL,
  max_share_permille BIGINT,
  max_amount BIGINT,
  per_what TEXT NOT NULL,
  legal_basis TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT
);
INSERT INTO support_caps (content_type, source, max_share_permille, max_amount, per_what, legal_basis, valid_from, valid_to)
VALUES ('demo_model', 'national', 300, 1000000000, 'model', 'Thông tư 28/2018/TT-BTC', '2018-05-12', NULL);
INSERT INTO support_caps (content_type, source, max_share_permille, max_amount, per_what, legal_basis, valid_from, valid_to)
VALUES ('machinery', 'national', 500, 300000000, 'establishment', 'Thông tư 28/2018/TT-BTC', '2018-05-12', NULL);
