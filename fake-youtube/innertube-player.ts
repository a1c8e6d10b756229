/**
 * The simulated `player_es6` html5player, in the shape youtubei.js 18 analyses.
 *
 * youtubei.js does not cut functions out with regular expressions as ytdl-core does: it parses
 * the first top-level `(function(g){…})(x)` into an AST and looks, among its top-level `var`s
 * and `g.X = …` assignments, for a `var X=function(a,b="",c=""){…}` that builds a URL object
 * (`a=new g.Cls(a)`) and calls `.set("alr","yes")` on it. It runs that function on a URL carrying
 * `n` (plus `sp` and the scrambled `s`), calls every other method of the object's prototype, and
 * reads back `get(sp)` and `get("n")`. The signature timestamp is read from an object literal
 * with a `signatureTimestamp` key inside a function. The transforms are the same as in
 * `player-js.ts`, so `/videoplayback` checks both extractors alike.
 */
import {
  DECIPHER_SOURCE,
  HELPERS_SOURCE,
  N_TRANSFORM_SOURCE,
  PLAYER_VERSION,
  SIGNATURE_TIMESTAMP,
} from "./player-js.ts";

/** Path youtubei.js builds from the player id: the es6 variant of the same player version. */
export const ES6_PLAYER_PATH = `/s/player/${PLAYER_VERSION}/player_es6.vflset/en_US/base.js`;

/** A media URL object: query kept in order, `n` transformed by its own method. */
const URL_CLASS = [
  "g.Ux=class{",
  'constructor(a){var q=a.indexOf("?");this.b=q<0?a:a.slice(0,q);this.p=[];',
  'if(q>=0)for(var kv of a.slice(q+1).split("&")){var i=kv.indexOf("=");',
  'this.p.push(i<0?[kv,""]:[kv.slice(0,i),kv.slice(i+1)])}}',
  "set(k,v){for(var e of this.p)if(e[0]===k){e[1]=v;return}this.p.push([k,v])}",
  "get(k){for(var e of this.p)if(e[0]===k)return e[1]}",
  "clone(){return new g.Ux(this.toString())}",
  'toString(){return this.b+"?"+this.p.map(function(e){return e[0]+"="+e[1]}).join("&")}',
  'Nr(){var n=this.get("n");if(n)this.set("n",encodeURIComponent(Wq(decodeURIComponent(n))))}',
  "};",
].join("");

/** The synthetic `player_es6` `base.js` source text. */
export function es6PlayerJs(): string {
  return [
    "/* downtube simulated YouTube html5player (es6): only the parts youtubei.js looks for. */",
    "var _yt_player={};",
    "(function(g){",
    HELPERS_SOURCE,
    `var Zt=${DECIPHER_SOURCE};`,
    `var Wq=${N_TRANSFORM_SOURCE}`,
    URL_CLASS,
    'var Sg=function(a,b="",c=""){a=new g.Ux(a);a.set("alr","yes");c&&a.set(b||"signature",encodeURIComponent(Zt(c)));return a};',
    `var Ts=function(){return{signatureTimestamp:${SIGNATURE_TIMESTAMP},sts:${SIGNATURE_TIMESTAMP}}};`,
    "g.decipherUrl=Sg;g.playerConfig=Ts;",
    "})(_yt_player);",
    "",
  ].join("\n");
}
