import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A topic belongs to one commune, or to every commune when `commune_id` is null (the plan's shared themes, kept by
 * admins): an editor of one commune may no longer rename or deactivate a topic for all. Existing topics become
 * global. A name is unique within its commune, and among the global topics.
 */
export class TopicCommunes1796532559535 implements MigrationInterface {
  name = 'TopicCommunes1796532559535';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "topics" ADD "commune_id" uuid`);
    await queryRunner.query(
      `ALTER TABLE "topics" ADD CONSTRAINT "FK_topics_commune" FOREIGN KEY ("commune_id") REFERENCES "communes"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "topics" DROP CONSTRAINT "UQ_1304b1c61016e63f60cd147ce6b"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_topics_commune_name" ON "topics" ((COALESCE("commune_id", '00000000-0000-0000-0000-000000000000'::uuid)), "name")`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_topics_commune" ON "topics" ("commune_id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_topics_commune"`);
    await queryRunner.query(`DROP INDEX "UQ_topics_commune_name"`);
    await queryRunner.query(`ALTER TABLE "topics" ADD CONSTRAINT "UQ_1304b1c61016e63f60cd147ce6b" UNIQUE ("name")`);
    await queryRunner.query(`ALTER TABLE "topics" DROP CONSTRAINT "FK_topics_commune"`);
    await queryRunner.query(`ALTER TABLE "topics" DROP COLUMN "commune_id"`);
  }
}
