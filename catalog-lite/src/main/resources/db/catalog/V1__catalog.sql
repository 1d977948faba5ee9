-- catalog-lite: developers, categories, apps, versions, reviews and ratings, blocklist.
-- Reads are served from the streaming replica; every write goes to the primary.

CREATE TABLE catalog.developer (
  id           bigserial PRIMARY KEY,
  slug         text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  email        text NOT NULL CHECK (position('@' IN email) > 1),
  -- The OpenID Connect subject of the person who owns the account; NULL until one claims it.
  oidc_subject text UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE catalog.category (
  id       serial PRIMARY KEY,
  slug     text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name     text NOT NULL,
  position integer NOT NULL DEFAULT 0
);

CREATE TABLE catalog.app (
  id               bigserial PRIMARY KEY,
  slug             text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  summary          text NOT NULL DEFAULT '' CHECK (length(summary) <= 500),
  description      text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
  developer_id     bigint NOT NULL REFERENCES catalog.developer (id),
  origin_url       text NOT NULL CHECK (origin_url ~ '^https://'),
  -- Both NULL: free. Otherwise a positive amount in the currency's minor-unit precision.
  price_amount     numeric(10, 2) CHECK (price_amount > 0),
  price_currency   char(3) CHECK (price_currency ~ '^[A-Z]{3}$'),
  status           text NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'public', 'disabled', 'deleted')),
  featured         boolean NOT NULL DEFAULT false,
  weekly_downloads bigint NOT NULL DEFAULT 0 CHECK (weekly_downloads >= 0),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  -- Full-text search document. A stored generated column is computed in the statement that
  -- writes the row, so the index can never lag behind the data (F24: there is no search feed).
  search           tsvector GENERATED ALWAYS AS (
                     setweight(to_tsvector('english'::regconfig, name), 'A')
                     || setweight(to_tsvector('english'::regconfig, summary), 'B')
                     || setweight(to_tsvector('english'::regconfig, description), 'C')
                   ) STORED,
  CONSTRAINT app_price_complete CHECK ((price_amount IS NULL) = (price_currency IS NULL))
);
CREATE INDEX app_developer_idx ON catalog.app (developer_id);
CREATE INDEX app_public_popular_idx ON catalog.app (weekly_downloads DESC, id)
  WHERE status = 'public';
CREATE INDEX app_public_new_idx ON catalog.app (created_at DESC, id) WHERE status = 'public';
CREATE INDEX app_featured_idx ON catalog.app (id) WHERE featured AND status = 'public';
CREATE INDEX app_search_idx ON catalog.app USING gin (search);

CREATE TABLE catalog.app_category (
  app_id      bigint NOT NULL REFERENCES catalog.app (id) ON DELETE CASCADE,
  category_id integer NOT NULL REFERENCES catalog.category (id),
  PRIMARY KEY (category_id, app_id)
);
CREATE INDEX app_category_app_idx ON catalog.app_category (app_id);

CREATE TABLE catalog.app_version (
  id                   bigserial PRIMARY KEY,
  app_id               bigint NOT NULL REFERENCES catalog.app (id) ON DELETE CASCADE,
  version              text NOT NULL CHECK (version ~ '^[0-9A-Za-z.+*-]{1,32}$'),
  released_at          timestamptz NOT NULL,
  package_url          text NOT NULL CHECK (package_url ~ '^https://'),
  package_sha256       char(64) NOT NULL CHECK (package_sha256 ~ '^[0-9a-f]{64}$'),
  min_platform_version text NOT NULL CHECK (min_platform_version ~ '^[0-9A-Za-z.+*-]{1,32}$'),
  UNIQUE (app_id, version)
);

-- One review per user and app; writing again replaces it.
CREATE TABLE catalog.review (
  id           bigserial PRIMARY KEY,
  app_id       bigint NOT NULL REFERENCES catalog.app (id) ON DELETE CASCADE,
  author_sub   text NOT NULL CHECK (length(author_sub) BETWEEN 1 AND 255),
  author_name  text NOT NULL CHECK (length(author_name) BETWEEN 1 AND 100),
  rating       smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  body         text NOT NULL DEFAULT '' CHECK (length(body) <= 2000),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (app_id, author_sub)
);
CREATE INDEX review_recent_idx ON catalog.review (app_id, updated_at DESC, id DESC);

-- Rating aggregate per app, rewritten in the transaction that writes a review.
CREATE TABLE catalog.app_rating (
  app_id  bigint PRIMARY KEY REFERENCES catalog.app (id) ON DELETE CASCADE,
  count   integer NOT NULL DEFAULT 0 CHECK (count >= 0),
  total   integer NOT NULL DEFAULT 0 CHECK (total >= 0),
  stars_1 integer NOT NULL DEFAULT 0,
  stars_2 integer NOT NULL DEFAULT 0,
  stars_3 integer NOT NULL DEFAULT 0,
  stars_4 integer NOT NULL DEFAULT 0,
  stars_5 integer NOT NULL DEFAULT 0
);

CREATE TABLE catalog.blocklist_entry (
  id          bigserial PRIMARY KEY,
  app_id      bigint NOT NULL REFERENCES catalog.app (id),
  -- Inclusive version range in toolkit version syntax; '*' as max_version means every later one.
  min_version text NOT NULL DEFAULT '0' CHECK (min_version ~ '^[0-9A-Za-z.+*-]{1,32}$'),
  max_version text NOT NULL DEFAULT '*' CHECK (max_version ~ '^[0-9A-Za-z.+*-]{1,32}$'),
  severity    text NOT NULL CHECK (severity IN ('soft', 'hard')),
  reason      text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  text NOT NULL,
  removed_at  timestamptz,
  removed_by  text
);
CREATE INDEX blocklist_entry_active_idx ON catalog.blocklist_entry (id) WHERE removed_at IS NULL;

-- Every blocklist version handed out for publication. A version is reserved (committed) before it
-- is signed, so a crash between signing and publishing leaves a gap, never a reused version.
CREATE TABLE catalog.blocklist_publication (
  version      bigint PRIMARY KEY CHECK (version > 0),
  generated_at timestamptz NOT NULL,
  entry_count  integer NOT NULL CHECK (entry_count >= 0),
  state        text NOT NULL CHECK (state IN ('reserved', 'published', 'refused', 'failed')),
  kid          text,
  token_sha256 char(64),
  overrides    text[] NOT NULL DEFAULT '{}',
  detail       text,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
