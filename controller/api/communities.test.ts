import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { communityProblem, largeCommunityProblem } from './communities.ts';

describe('community text', () => {
  const standard: [string, boolean][] = [
    ['65000:100', true],
    ['0:0', true],
    ['65535:65535', true],
    ['065535:1', false],
    ['65536:0', false],
    ['1:65536', false],
    ['1', false],
    ['1:2:3', false],
    ['a:b', false],
    ['-1:2', false],
    [' 1:2', false],
  ];
  for (const [text, valid] of standard) {
    it(`standard ${JSON.stringify(text)} is ${valid ? 'valid' : 'invalid'}`, () => assert.equal(communityProblem(text) === undefined, valid));
  }
  const large: [string, boolean][] = [
    ['65000:1:2', true],
    ['4294967295:4294967295:4294967295', true],
    ['4294967296:1:1', false],
    ['1:2', false],
    ['1:2:3:4', false],
    ['1:2:x', false],
  ];
  for (const [text, valid] of large) {
    it(`large ${JSON.stringify(text)} is ${valid ? 'valid' : 'invalid'}`, () => assert.equal(largeCommunityProblem(text) === undefined, valid));
  }
});
