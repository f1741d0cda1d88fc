import test from 'ava';
import { loadRegions } from '../../gateway/classification/regions.js';
import { inferRegion, inferTopic } from '../../gateway/classification/infer.js';
import { classify } from '../../gateway/classification/classify.js';
import { defaultTopics } from '../../gateway/classification/default-topics.js';
import type { Taxonomy } from '../../gateway/classification/taxonomy.js';

const taxonomy: Taxonomy = {
  version: 1,
  topics: defaultTopics,
  byCode: new Map(defaultTopics.map((t) => [t.code, t])),
  byName: new Map(defaultTopics.map((t) => [t.name, t])),
};

test('when the dataset is read for Chengdu, then its districts, counties and streets are there with GB/T 2260 codes', async (t) => {
  const r = await loadRegions('5101');
  t.is(r.cityName, '成都市');
  t.is(r.get('510107')?.name, '武侯区');
  t.is(r.get('510107001')?.name, '浆洗街街道');
  t.is(r.get('510107001')?.countyCode, '510107');
  t.true(r.streetsOf('510104').length > 5);
  t.is(r.get('110101'), undefined, 'only the configured city');
});

test('when an SMS names a district by its short form and a street, then the street is inferred with the words that decided it', async (t) => {
  const r = await loadRegions('5101');
  const got = inferRegion({ text: '武侯浆洗街这边的小区门口天天有人占道摆摊，晚上噪音很大' }, r);
  t.is(got?.code, '510107001');
  t.is(got?.name, '武侯区浆洗街街道');
  t.true(got!.matched.some((m) => m.alias === '武侯' && m.code === '510107'));
});

test('when texts name districts in full, by short form or as the high-tech zone, then the county is inferred', async (t) => {
  const r = await loadRegions('5101');
  t.is(inferRegion({ text: '锦江区春熙路附近共享单车乱停乱放' }, r)?.code.slice(0, 6), '510104');
  t.is(inferRegion({ text: '我住在青羊，家门口的路灯坏了' }, r)?.code, '510105');
  t.is(inferRegion({ text: '高新区天府三街地铁口拥堵严重' }, r)?.code, '510107');
  t.is(inferRegion({ text: '郫都区犀浦街道自来水停水三天了' }, r)?.code.slice(0, 6), '510117');
});

test('when only an ordinary word looks like a short street name, then no region is made up', async (t) => {
  const r = await loadRegions('5101');
  t.is(inferRegion({ text: '希望大家团结合作，天府之国越来越幸福' }, r), null);
  t.is(inferRegion({ text: '公司拖欠工资三个月了' }, r), null);
});

test('when the location carries an address, then it decides before the text', async (t) => {
  const r = await loadRegions('5101');
  const got = inferRegion({ text: '上次在锦江区也遇到过', address: '四川省成都市金牛区抚琴街道' }, r);
  t.is(got?.code.slice(0, 6), '510106');
  t.true(got!.matched.every((m) => m.in === 'address'));
});

test('when texts are about wages, noise, water or property, then the topic follows the keywords, and nothing matched gives 其他', (t) => {
  t.is(inferTopic('公司拖欠农民工工资三个月，社保也没交', taxonomy)?.code, 'labour');
  t.is(inferTopic('楼下烧烤店油烟和噪音扰民到凌晨', taxonomy)?.code, 'environment');
  t.is(inferTopic('小区停水两天了，自来水公司电话打不通', taxonomy)?.code, 'utilities');
  t.deepEqual(inferTopic('物业不作为，电梯坏了一个月没人修', taxonomy)?.keywords.sort(), ['物业', '电梯'].sort());
  const none = inferTopic('你好，请问一下', taxonomy);
  t.is(none?.code, 'other');
  t.deepEqual(none?.keywords, []);
});

test("when a letter carries the citizen's topic and region, then they are kept and not marked inferred", async (t) => {
  const r = await loadRegions('5101');
  const chosen = classify(
    { body: '公司拖欠工资', topic: { code: 'housing', name: '城乡住房' }, region: { code: '510104', name: '锦江区' } },
    taxonomy,
    r,
  );
  t.deepEqual(
    [chosen.topic, chosen.topicInferred, chosen.regionCode, chosen.regionInferred],
    ['housing', false, '510104', false],
  );
  // A city-level mailbox region says nothing about where the matter is: inferred from the text instead.
  const city = classify({ body: '双流区东升街道路灯不亮', region: { code: '510100', name: '成都市' } }, taxonomy, r);
  t.is(city.regionCode, '510116001');
  t.true(city.regionInferred!);
  t.is(city.evidence.region?.source, 'inferred');
  // A registered case's category is a topic name.
  t.is(classify({ body: '咨询', category: '教育' }, taxonomy, r).topic, 'education');
});
