import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { detectPersonalColumns, isPersonalTitle, personalKindOfValues, personalRole } from '../../../src/ingest/personal';
import { isPersonalTitle as viaSynonyms } from '../../../src/ingest/synonyms';
import { makeRaw } from './raw-helper';

describe('titles', () => {
  test.each([
    'ФИО ученика',
    'Ученик (ФИО)',
    'Фамилия, имя',
    'Фамилия',
    'Имя',
    'Отчество обучающегося',
    'Паспорт',
    'Серия и номер паспорта',
    'Дата рождения',
    'СНИЛС',
    'СНИЛС обучающегося',
    'Телефон',
    'Контактный телефон',
    'E-mail',
    'Электронная почта',
    'Адрес',
    'Адрес проживания',
    'Ф.И.О.',
    'Серия',
    'Номер',
    'Номер документа',
    'Свидетельство о рождении',
  ])('«%s» is personal', (t) => {
    expect(isPersonalTitle(t)).toBe(true);
    expect(viaSynonyms(t)).toBe(true);
  });

  test.each(['Код обучающегося', 'Номер обучающегося', 'Номер задания', 'Номер варианта', 'Порядковый номер', 'Класс', 'Школа', 'Пол', 'Первичный балл', 'Наименование ОО', 'Учебник', 'Дата', 'Дата проведения'])(
    '«%s» is not personal',
    (t) => expect(isPersonalTitle(t)).toBe(false),
  );

  test('roles of the pseudonym: a СНИЛС or passport column is the document key', () => {
    expect(personalRole('ФИО ученика')).toBe('фамилия');
    expect(personalRole('Фамилия, имя')).toBe('фамилия');
    expect(personalRole('Имя')).toBe('имя');
    expect(personalRole('Отчество')).toBe('отчество');
    expect(personalRole('Серия')).toBe('серия');
    expect(personalRole('Серия и номер паспорта')).toBe('номер');
    expect(personalRole('СНИЛС')).toBe('номер');
    expect(personalRole('Телефон')).toBeNull();
    expect(personalRole('Код обучающегося')).toBeNull();
  });
});

describe('content', () => {
  const now = new Date('2026-06-01');
  test('full names, passports, СНИЛС, phones, e-mails at ≥ 80 %', () => {
    expect(personalKindOfValues(['Иванов Иван Иванович', 'Петрова Анна Сергеевна', 'Сидоров-Белый Пётр Ильич', 'Козлова Алла Викторовна', ''], now)).toBe('name');
    // Textbook authors are not pupils.
    expect(personalKindOfValues(['Моро М.И.', 'Петерсон Л.Г.', 'Дорофеев Г.В.'], now)).toBeNull();
    expect(personalKindOfValues(['4510 123456', '4511 654321', '45 12 111111', 'нет', '4513 000001'], now)).toBe('passport');
    expect(personalKindOfValues(['123-456-789 01', '987-654-321 00'], now)).toBe('snils');
    expect(personalKindOfValues(['+7 (912) 345-67-89', '8 912 345 67 89', '89123456789'], now)).toBe('phone');
    expect(personalKindOfValues(['a@b.ru', 'ivan.petrov@mail.ru', 'x@y.org', 'нет', 'z@w.com'], now)).toBe('email');
  });

  test('below 80 % or other values are not personal', () => {
    expect(personalKindOfValues(['Иванов Иван Иванович', 'МБОУ СОШ № 1', 'МБОУ СОШ № 2'], now)).toBeNull();
    expect(personalKindOfValues(['40001', '40002', '40003'], now)).toBeNull();
    expect(personalKindOfValues(['12345678901234567890', '12345678901234567891'], now)).toBeNull();
    expect(personalKindOfValues(['Математика', 'Русский язык'], now)).toBeNull();
    expect(personalKindOfValues([], now)).toBeNull();
  });

  test('dates of birth differ from day to day; the date of a work does not', () => {
    expect(personalKindOfValues(['12.03.2013', '01.11.2012', '2013-07-30', '28.02.2013', '05.05.2012'], now)).toBe('birth_date');
    expect(personalKindOfValues(['15.04.2021', '15.04.2021', '15.04.2021', '16.04.2021', '15.04.2021', '15.04.2021'], now)).toBeNull();
    // Work dates over a few days are not birth dates, however many differ (tests/fixtures/read/vpr-cp1251.csv).
    expect(personalKindOfValues(['15.04.2021', '15.04.2021', '16.04.2021', '16.04.2021', '17.04.2021'], now)).toBeNull();
    // Future or recent dates are no one's birth date at school.
    expect(personalKindOfValues(['12.03.2025', '01.11.2024', '30.07.2025', '28.02.2025'], now)).toBeNull();
  });
});

describe('detectPersonalColumns on a raw sheet', () => {
  let conn: NodeConnector;
  beforeAll(async () => {
    conn = await NodeConnector.open();
  });
  afterAll(async () => conn.close());

  test('by title, and by content under an innocent title', async () => {
    const raw = await makeRaw(
      conn,
      'ученики.csv',
      ['Код', 'Ученик', 'Документ ученика', 'Сведения', 'Балл', 'Примечание'],
      [
        ['1', 'Иванов Иван Иванович', '4510 123456', '123-456-789 01', '5', '12.03.2013'],
        ['2', 'Петрова Анна Сергеевна', '4511 654321', '987-654-321 00', '4', '01.11.2012'],
        ['3', 'Сидоров Пётр Ильич', '4512 111111', '111-222-333 44', '3', '30.07.2013'],
      ],
    );
    const found = await detectPersonalColumns(conn, raw);
    expect(found.map((c) => [c.header, c.reason])).toEqual([
      ['Ученик', 'name'],
      ['Документ ученика', 'passport'],
      ['Сведения', 'snils'],
      ['Примечание', 'birth_date'],
    ]);
  });
});
