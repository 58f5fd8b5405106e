export { CITY, COUNTIES, countyName, isKnownCountyCode } from './counties';
export { areaLevel, countyOf, isKnownCountyVillageCode, isWithin, type AreaLevel } from './codes';
export { syntheticAreas, type Area } from './synthetic';
