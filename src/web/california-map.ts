// California's county outlines as SVG paths, drawn on the server from the Census Bureau's TopoJSON (us-atlas).
// Projected with California Albers (EPSG:3310 parameters) and computed once per process.
import { createRequire } from 'node:module';
import { geoAlbers, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Feature, FeatureCollection, Geometry } from 'geojson';

export interface CountyShape {
  fips: string;
  name: string;
  d: string;
}

export interface CaliforniaMap {
  width: number;
  height: number;
  counties: CountyShape[];
}

const WIDTH = 480;
const HEIGHT = 560;
const CALIFORNIA_STATE_FIPS = '06';

let cached: CaliforniaMap | undefined;

export function californiaMap(): CaliforniaMap {
  cached ??= drawCalifornia();
  return cached;
}

function drawCalifornia(): CaliforniaMap {
  const require = createRequire(import.meta.url);
  const topology = require('us-atlas/counties-10m.json') as Topology<{ counties: GeometryCollection<{ name: string }> }>;
  const all = feature(topology, topology.objects.counties) as FeatureCollection<Geometry, { name: string }>;
  const california: Feature<Geometry, { name: string }>[] = all.features.filter((f) =>
    String(f.id).startsWith(CALIFORNIA_STATE_FIPS),
  );
  const collection: FeatureCollection<Geometry, { name: string }> = { type: 'FeatureCollection', features: california };
  const projection = geoAlbers().parallels([34, 40.5]).rotate([120, 0]).center([0, 0]).fitSize([WIDTH, HEIGHT], collection);
  const path = geoPath(projection).digits(1);
  return {
    width: WIDTH,
    height: HEIGHT,
    counties: california
      .map((f) => ({ fips: String(f.id), name: f.properties.name, d: path(f) ?? '' }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}
