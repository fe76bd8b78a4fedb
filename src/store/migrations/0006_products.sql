-- 0006: products, their lots and the dated steps of a lot (entities
-- "products", "lots", "lot-events" of src/model/entities.c; test_record
-- checks that they agree), with the same system columns as 0004, and the
-- photos of products. See docs/public.md.

-- product (sản phẩm)
CREATE TABLE products (
  id {{ID}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  province_code TEXT,
  old_province_code TEXT,
  search_key TEXT NOT NULL DEFAULT '',
  establishment_id BIGINT REFERENCES establishments(id),
  name TEXT,
  category TEXT,
  description TEXT,
  gtin TEXT,
  ocop_stars BIGINT,
  award_id BIGINT REFERENCES awards(id),
  channels TEXT,
  published BIGINT,
  illustrative BIGINT,
  note TEXT
);
CREATE INDEX products_province ON products(province_code);
CREATE INDEX products_old_province ON products(old_province_code);
CREATE INDEX products_establishment_id ON products(establishment_id);
CREATE INDEX products_category ON products(category);
CREATE UNIQUE INDEX products_gtin ON products(gtin);
CREATE INDEX products_ocop_stars ON products(ocop_stars);
CREATE INDEX products_award_id ON products(award_id);
CREATE INDEX products_published ON products(published);
CREATE INDEX products_illustrative ON products(illustrative);

-- product lot (lô sản phẩm)
CREATE TABLE lots (
  id {{ID}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  province_code TEXT,
  old_province_code TEXT,
  search_key TEXT NOT NULL DEFAULT '',
  product_id BIGINT REFERENCES products(id),
  establishment_id BIGINT REFERENCES establishments(id),
  lot_code TEXT,
  production_date TEXT,
  expiry_date TEXT,
  quantity BIGINT,
  quantity_unit TEXT,
  inputs TEXT,
  recalled BIGINT,
  recall_reason TEXT,
  illustrative BIGINT,
  note TEXT
);
CREATE INDEX lots_province ON lots(province_code);
CREATE INDEX lots_old_province ON lots(old_province_code);
CREATE INDEX lots_product_id ON lots(product_id);
CREATE INDEX lots_establishment_id ON lots(establishment_id);
CREATE INDEX lots_production_date ON lots(production_date);
CREATE INDEX lots_recalled ON lots(recalled);
CREATE INDEX lots_illustrative ON lots(illustrative);
-- A lot code names one lot of a product: the key of a GS1 Digital Link.
CREATE UNIQUE INDEX lots_product_lot_code ON lots(product_id, lot_code);

-- lot step (công đoạn của lô)
CREATE TABLE lot_events (
  id {{ID}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  province_code TEXT,
  old_province_code TEXT,
  search_key TEXT NOT NULL DEFAULT '',
  lot_id BIGINT REFERENCES lots(id),
  establishment_id BIGINT REFERENCES establishments(id),
  event_date TEXT,
  what TEXT,
  place TEXT,
  who TEXT,
  illustrative BIGINT
);
CREATE INDEX lot_events_province ON lot_events(province_code);
CREATE INDEX lot_events_old_province ON lot_events(old_province_code);
CREATE INDEX lot_events_lot_id ON lot_events(lot_id);
CREATE INDEX lot_events_establishment_id ON lot_events(establishment_id);
CREATE INDEX lot_events_event_date ON lot_events(event_date);
CREATE INDEX lot_events_illustrative ON lot_events(illustrative);

-- Photos of products, in the database so that every server of a deployment
-- serves the same ones and backups hold them. The bytes are base64 text (a
-- portable column type); the type comes from the content, never from the
-- uploader; sha256 is the ETag. A removed photo keeps its row (removed_at):
-- nothing is deleted without a trace.
CREATE TABLE product_photos (
  id {{ID}},
  product_id BIGINT NOT NULL REFERENCES products(id),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  content_type TEXT NOT NULL,
  bytes BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  data TEXT NOT NULL,
  removed_at TEXT
);
CREATE INDEX product_photos_product ON product_photos(product_id, removed_at);
