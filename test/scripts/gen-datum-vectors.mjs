// gen-datum-vectors.mjs -- regenerate test/fixtures/datum_vectors.csv from
// gcoord, a public implementation of the GCJ-02 / BD-09 algorithms on the
// npm registry, for the differential test sql/datum.sql.
//
//   mkdir -p /tmp/gcoord && cd /tmp/gcoord && npm install gcoord@1.0.7
//   GCOORD=/tmp/gcoord/node_modules/gcoord/dist/gcoord.cjs.js \
//       node test/scripts/gen-datum-vectors.mjs > test/fixtures/datum_vectors.csv
//
// Points are drawn from a seeded generator, so the file is reproducible:
// 3000 inside China's bounding box (dense over the eastern cities) and 200
// outside it (which must pass unchanged).
import { createRequire } from 'module';
import { seededRandom } from './seeded-random.mjs';

const gcoord = createRequire(import.meta.url)(process.env.GCOORD);
const random = seededRandom(20261127);

const rows = [];
for (let i = 0; i < 3200; i++) {
	let lat, lon;
	if (i < 1500) {			// eastern China, where the sales staff are
		lat = 20 + random() * 25;
		lon = 100 + random() * 25;
	} else if (i < 3000) {	// the whole box
		lat = 0.9 + random() * 54.8;
		lon = 72.1 + random() * 65.6;
	} else {				// elsewhere on Earth
		lat = -80 + random() * 160;
		lon = -179 + random() * 250;
		if (lon > 72 && lon < 138 && lat > 0.8 && lat < 55.9)
			lon -= 200;
	}
	const gcj = gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02);
	const back = gcoord.transform(gcj, gcoord.GCJ02, gcoord.WGS84);
	const bd = gcoord.transform(gcj, gcoord.GCJ02, gcoord.BD09);
	const bdBack = gcoord.transform(bd, gcoord.BD09, gcoord.GCJ02);
	rows.push([i + 1, lat, lon, gcj[1], gcj[0], back[1], back[0], bd[1], bd[0],
			   bdBack[1], bdBack[0]].join(','));
}
console.log('id,wgs_lat,wgs_lon,gcj_lat,gcj_lon,gcj_inv_lat,gcj_inv_lon,bd_lat,bd_lon,bd_inv_lat,bd_inv_lon');
console.log(rows.join('\n'));
